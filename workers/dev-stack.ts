// `npm start`: the whole system on one machine — Temporal dev server (SQLite under .data/,
// Web UI), search attributes registered, and the orchestration worker on embedded defaults.
// Ctrl-C drains the worker, then stops the server; starting again resumes running workflows.
// Killed outright (kill -9), this process takes the server with it: its watchdog stops it.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../contracts/config';
import { CircuitBreakerRegistry } from '../activities/models/circuit-breaker';
import { SluiceClient } from '../client/sluice-client';
import { startGateway } from '../gateway/start-gateway';
import { startDevServer } from './dev-server-process';
import { createLogger } from './logger';
import { createLlmWorker } from './llm-worker';
import { closeOrchestrationDependencies, openOrchestrationDependencies } from './orchestration-dependencies';
import { createOrchestrationWorker } from './orchestration-worker';
import { describeWorkflowStallGuard } from './workflow-stall-guard';
import { prepareProcess } from './process-setup';
import { installRuntime, onShutdownSignal } from './runtime';
import { describeStartupError } from './startup-errors';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // One machine: the CLI beside it reads the same `<dataDir>/codec-keys.json` when no key is configured.
  const setup = prepareProcess(config, 'dev-stack', { allowKeyFile: true });
  const { codec, workerOptions } = setup;
  const { dataConverter } = workerOptions;
  if (!codec) logger.warn('SLUICE_CODEC=off: workflow payloads are stored in clear (for debugging only)');
  const [host, port] = config.temporalAddress.split(':');
  const uiPort = Number(new URL(config.temporalUiUrl).port || 8233);

  logger.info({ dataDir }, 'starting Temporal dev server');
  const server = await startDevServer(
    {
      ip: host,
      port: Number(port ?? 7233),
      uiPort,
      dbFilename: join(dataDir, 'temporal.db'),
      namespace: config.temporalNamespace,
    },
    (line) => logger.debug({ component: 'temporal-server' }, line),
    // One line when a server orphaned by an earlier, killed `npm start` on this data folder is replaced.
    (message) => logger.warn({ component: 'temporal-server' }, message),
  );
  installRuntime(logger, { defaultMetricsAddress: '127.0.0.1:9464' });
  const connection = await NativeConnection.connect({ address: server.address });
  const clientConnection = await Connection.connect({ address: server.address });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace, ...workerOptions });
  // One machine, one worker process: the key file under the data folder is safe here.
  const dependencies = await openOrchestrationDependencies({ dataDir, client, allowKeyFile: true });
  const workers: Worker[] = [
    await createOrchestrationWorker({
      connection, namespace: config.temporalNamespace, dependencies, ...workerOptions,
    }),
  ];
  // External providers in the model catalog get their own queue's worker in this process.
  const breakers = new CircuitBreakerRegistry();
  for (const [provider, settings] of Object.entries(dependencies.modelCatalog.providers)) {
    if (settings.selfHosted) continue;
    workers.push(
      await createLlmWorker({
        connection,
        namespace: config.temporalNamespace,
        catalog: dependencies.modelCatalog,
        provider,
        breakers,
        ...workerOptions,
      }),
    );
  }
  const running = Promise.all(workers.map((worker) => worker.run()));
  logger.info(describeWorkflowStallGuard(process.env), 'workflow stall guard');
  // The HTTP gateway, with the codec server for operator keys (`sluice gateway key create --role operator`).
  // On the workers' connection, so its answers start eagerly on the orchestration worker beside it.
  const gatewayClient = SluiceClient.onWorkerConnection(
    connection, { temporalAddress: server.address }, { dataConverter },
  );
  const gateway = await startGateway({
    client: gatewayClient, dataDir, logger,
    ...(codec ? { codecServer: { codec, namespace: config.temporalNamespace } } : {}),
  });

  onShutdownSignal(async (signal) => {
    logger.info({ signal }, 'stopping the HTTP gateway');
    await gateway.close();
    await gatewayClient.close();
    logger.info({ signal }, 'draining workers');
    workers.forEach((worker) => worker.shutdown());
    await running.catch((error) => logger.error({ err: error }, 'worker stopped with an error'));
    await closeOrchestrationDependencies(dependencies);
    await clientConnection.close();
    await connection.close();
    logger.info('stopping Temporal dev server');
    await server.stop();
    await setup.flush();
    logger.info('stopped cleanly');
  });

  process.stdout.write(
    [
      '',
      `Sluice is running. Temporal UI: ${server.uiUrl}   frontend: ${server.address}   data: ${dataDir}`,
      `HTTP gateway: ${gateway.url} (API: ${gateway.url}/openapi.json)`,
      'In another terminal:',
      '  ./bin/sluice ingest examples/corpus',
      '  ./bin/sluice ask "How does Sluice keep a workflow alive when a worker crashes?"',
      'Ctrl-C stops workers and server; running workflows resume on the next start.',
      '',
    ].join('\n') + '\n',
  );
  await running;
}

main().catch((error: unknown) => {
  process.stderr.write(`sluice: ${describeStartupError(error)}\n`);
  process.exit(1);
});
