// Entry point of a standalone orchestration worker: polls sluice-orchestration on the
// Temporal server named by SLUICE_TEMPORAL_ADDRESS, with the embedded store under SLUICE_DATA_DIR.
import { Client } from '@temporalio/client';
import { resolve } from 'node:path';
import { loadConfig } from '../contracts/config';
import { RedactionSealer } from '../activities/gates/pii/redaction-seal';
import { closeOrchestrationDependencies, openOrchestrationDependencies } from './orchestration-dependencies';
import { createLogger } from './logger';
import { requireSearchAttributes } from '../temporal-config/search-attribute-registration';
import { createOrchestrationWorker } from './orchestration-worker';
import { describeWorkflowStallGuard } from './workflow-stall-guard';
import { prepareProcess } from './process-setup';
import { installRuntime, runWorkersUntilSignal } from './runtime';
import { describeStartupError } from './startup-errors';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  installRuntime(logger);
  // A standalone worker may run beside others: refuse, before connecting, without their shared key.
  const sealer = RedactionSealer.fromEnvironment(process.env, config.dataDir, { allowKeyFile: false });
  const setup = prepareProcess(config, 'orchestration', { allowKeyFile: false });
  const { codec } = setup;
  const connection = await setup.connectWorker();
  const clientConnection = await setup.connectClient();
  // The backtest activity reads past histories through this client, so it decodes with the same codec.
  const client = new Client({
    connection: clientConnection, namespace: config.temporalNamespace, ...setup.workerOptions,
  });
  // Workflows upsert these on their first task; without them every task would fail, so say so now.
  await requireSearchAttributes(clientConnection, config.temporalNamespace);
  const dependencies = await openOrchestrationDependencies({
    dataDir: resolve(config.dataDir), client, allowKeyFile: false, sealer,
  });
  const worker = await createOrchestrationWorker({
    connection, namespace: config.temporalNamespace, dependencies, ...setup.workerOptions,
  });
  const version = setup.workerOptions.workerDeploymentOptions?.version;
  logger.info(
    {
      address: config.temporalAddress, codecKey: codec?.activeKeyId ?? 'off (payloads in clear)',
      build: version ? `${version.deploymentName}.${version.buildId}` : 'unversioned (SLUICE_BUILD_ID unset)',
      ...describeWorkflowStallGuard(process.env),
    },
    'orchestration worker polling',
  );
  await runWorkersUntilSignal([worker], async () => {
    await closeOrchestrationDependencies(dependencies);
    await clientConnection.close();
    await connection.close();
    await setup.flush();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`sluice worker: ${describeStartupError(error)}\n`);
  process.exit(1);
});
