// Rolls a new Sluice build out beside the old one (Temporal Worker Deployments; README "Rolling out a new
// build"), with the workers' connection settings (SLUICE_TEMPORAL_*) and SLUICE_DEPLOYMENT_NAME:
//   npm run temporal:deployment -- status                    # builds, current and ramping, drainage
//   npm run temporal:deployment -- ramp <build id> <percent> # a share of new runs to the new build
//   npm run temporal:deployment -- set-current <build id>    # every new run, and auto-upgrade workflows
// Repeating a command changes nothing and says so. Exit 0 on success; 1 with one line on stderr otherwise.
import { Connection } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../contracts/config';
import { loadWorkerDeploymentConfig, workerDeploymentConfigSchema } from '../contracts/worker-deployment';
import { connectionOptions } from '../client/temporal-connection-options';
import {
  describeDeployment, formatDeployment, rampBuild, RolloutError, setCurrentBuild,
} from '../temporal-config/worker-deployment-rollout';

const usage = 'usage: worker-deployment status | ramp <build id> <percent> | set-current <build id> [--namespace ns]';

/** A build id argument, checked as SLUICE_BUILD_ID is. */
function buildIdArgument(value: string | undefined): string {
  if (value === undefined) throw new RolloutError(usage);
  const parsed = workerDeploymentConfigSchema.shape.buildId.safeParse(value);
  if (!parsed.success || parsed.data === undefined) {
    throw new RolloutError(`build id ${JSON.stringify(value)}: ${parsed.error?.issues[0]?.message ?? 'missing'}`);
  }
  return parsed.data;
}

/** A percent argument: a number from 0 to 100 (decimals allowed, as the server takes them). */
function percentArgument(value: string | undefined): number {
  const percent = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  if (!(percent >= 0 && percent <= 100)) throw new RolloutError(`percent must be a number from 0 to 100, not ${value}`);
  return percent;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { namespace: { type: 'string' } }, allowPositionals: true });
  const [command, ...rest] = positionals;
  const config = loadConfig(process.env);
  const { deploymentName } = loadWorkerDeploymentConfig(process.env);
  const namespace = values.namespace ?? config.temporalNamespace;
  const run = command === 'status' && rest.length === 0 ? 'status'
    : command === 'set-current' && rest.length === 1 ? 'set-current'
      : command === 'ramp' && rest.length === 2 ? 'ramp' : undefined;
  if (!run) throw new RolloutError(usage);
  const buildId = run === 'status' ? '' : buildIdArgument(rest[0]);
  const percent = run === 'ramp' ? percentArgument(rest[1]) : 0;

  const options = connectionOptions(config);
  const connection = await Connection.connect({ ...options, connectTimeout: '10 seconds' }).catch((error: Error) => {
    throw new Error(`cannot reach the Temporal server at ${options.address}: ${error.message}`);
  });
  try {
    const print = (line: string): boolean => process.stdout.write(`${line}\n`);
    if (run === 'set-current') {
      const { changed, before } = await setCurrentBuild(connection, namespace, deploymentName, buildId);
      print(changed
        ? `deployment ${deploymentName}: current ${before.currentBuildId ?? 'unversioned workers'} → ${buildId}`
        : `deployment ${deploymentName}: ${buildId} is already current; nothing changed`);
    } else if (run === 'ramp') {
      const { changed, before } = await rampBuild(connection, namespace, deploymentName, buildId, percent);
      print(changed
        ? `deployment ${deploymentName}: ramping ${buildId} at ${percent}% ` +
          `(the rest to ${before.currentBuildId ?? 'unversioned workers'})`
        : `deployment ${deploymentName}: ${buildId} is already ramping at ${percent}%; nothing changed`);
    }
    const view = await describeDeployment(connection, namespace, deploymentName);
    if (!view) {
      throw new RolloutError(
        `no worker deployment ${deploymentName} in namespace ${namespace}: start workers with SLUICE_BUILD_ID first`,
      );
    }
    formatDeployment(view, namespace).forEach(print);
  } finally {
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`worker-deployment: ${message.split('\n')[0]}\n`);
    const expected = error instanceof ConfigError || error instanceof RolloutError;
    if (!expected && process.env.SLUICE_DEBUG === '1' && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exit(1);
  },
);
