// Registers Sluice's custom search attributes on a production namespace (self-hosted cluster or Temporal
// Cloud), through the operator service, with the same connection settings as the workers (SLUICE_TEMPORAL_*:
// address, namespace, TLS, API key). Idempotent: it adds only what is missing and prints what it did.
//   npm run temporal:search-attributes                      # SLUICE_TEMPORAL_NAMESPACE, else `default`
//   npm run temporal:search-attributes -- --dry-run --namespace sluice-prod
// Exit 0 when every attribute is registered (or, dry, when nothing conflicts); 1 otherwise.
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../contracts/config';
import { connectionOptions } from '../client/temporal-connection-options';
import { checkSearchAttributes, registerSearchAttributes } from '../temporal-config/search-attribute-registration';
import { describeChange, summarise, tcldCommand } from '../temporal-config/search-attribute-report';

// gRPC codes with which a server refuses the operator call itself (Temporal Cloud, or a role without admin rights).
const refusedCodes = new Set([7 /* PERMISSION_DENIED */, 12 /* UNIMPLEMENTED */, 16 /* UNAUTHENTICATED */]);

function isRefusal(error: unknown): error is { details: string } {
  return isGrpcServiceError(error) && refusedCodes.has(error.code);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean' }, namespace: { type: 'string' } } });
  const config = loadConfig(process.env);
  const namespace = values.namespace ?? config.temporalNamespace;
  const dryRun = values['dry-run'] === true;
  const options = connectionOptions(config);
  const connection = await Connection.connect({ ...options, connectTimeout: '10 seconds' }).catch((error: Error) => {
    throw new Error(`cannot reach the Temporal server at ${options.address}: ${error.message}`);
  });
  try {
    const plan = await checkSearchAttributes(connection, namespace);
    if (!dryRun && plan.some((attribute) => attribute.state === 'missing')) {
      try {
        await registerSearchAttributes(connection, namespace);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        process.stderr.write(
          `namespace ${namespace}: the server refused to add search attributes (${error.details}). ` +
            `On Temporal Cloud add them with tcld:\n  ${tcldCommand(namespace, plan)}\n`,
        );
        return 1;
      }
    }
    // Read back rather than trust the call: what the namespace has now is what the workers will check.
    const after = dryRun ? plan : await checkSearchAttributes(connection, namespace);
    for (const attribute of plan) {
      const now = dryRun ? undefined : after.find((current) => current.name === attribute.name);
      process.stdout.write(`${describeChange(attribute, now)}\n`);
    }
    process.stdout.write(`${summarise(namespace, plan, dryRun)}\n`);
    const failed = dryRun ? plan.some((a) => a.state === 'wrong-type') : after.some((a) => a.state !== 'registered');
    return failed ? 1 : 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`register-search-attributes: ${message}\n`);
    if (!(error instanceof ConfigError) && process.env.SLUICE_DEBUG === '1' && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exit(1);
  },
);
