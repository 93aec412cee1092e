// Entry point of a standalone orchestration worker: polls sluice-orchestration on the
// Temporal server named by SLUICE_TEMPORAL_ADDRESS, with the embedded store under SLUICE_DATA_DIR.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { resolve } from 'node:path';
import { loadConfig } from '../contracts/config';
import { RedactionSealer } from '../activities/gates/pii/redaction-seal';
import { closeOrchestrationDependencies, openOrchestrationDependencies } from './orchestration-dependencies';
import { createLogger } from './logger';
import { requireSearchAttributes } from '../temporal-config/search-attribute-registration';
import { createOrchestrationWorker } from './orchestration-worker';
import { installRuntime, runWorkersUntilSignal } from './runtime';
import { describeStartupError } from './startup-errors';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  installRuntime(logger);
  // A standalone worker may run beside others: refuse, before connecting, without their shared key.
  const sealer = RedactionSealer.fromEnvironment(process.env, config.dataDir, { allowKeyFile: false });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  // Workflows upsert these on their first task; without them every task would fail, so say so now.
  await requireSearchAttributes(clientConnection, config.temporalNamespace);
  const dependencies = await openOrchestrationDependencies({
    dataDir: resolve(config.dataDir), client, allowKeyFile: false, sealer,
  });
  const worker = await createOrchestrationWorker({ connection, namespace: config.temporalNamespace, dependencies });
  logger.info({ address: config.temporalAddress }, 'orchestration worker polling');
  await runWorkersUntilSignal([worker], async () => {
    await closeOrchestrationDependencies(dependencies);
    await clientConnection.close();
    await connection.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`sluice worker: ${describeStartupError(error)}\n`);
  process.exit(1);
});
