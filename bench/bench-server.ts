import { Client, Connection } from '@temporalio/client';
import { SdkComponent } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type ActivityInterceptorsFactory } from '@temporalio/worker';
import { startDevServer } from '../workers/dev-server-process';
import { freePort } from '../workers/free-port';
import { join } from 'node:path';
import { createActivities } from '../activities';
import { taskQueues } from '../contracts/task-queues';
import { workflowTypes } from '../contracts/workflow-types';
import { openTestDependencies, startWorker } from '../test/helpers/temporal-env';

/** A dev server for a bench, with a client and a worker connection to it. */
export interface BenchServer {
  address: string;
  namespace: string;
  client: Client;
  nativeConnection: NativeConnection;
  /** Closes the connections and stops the server. */
  teardown(): Promise<void>;
}

/**
 * The SDK runtime of a bench: errors, and the native core's warnings (a payload over the size warning),
 * on stderr. Core prints on stdout unless its logs are forwarded, and stdout is for the JSON lines only.
 */
function installBenchRuntime(): void {
  const stderrLogger = new DefaultLogger('WARN');
  const logger = new DefaultLogger('WARN', (entry) => {
    if (entry.level === 'ERROR' || entry.meta?.sdkComponent === SdkComponent.core) {
      stderrLogger.log(entry.level, entry.message, entry.meta);
    }
  });
  try {
    Runtime.install({
      logger, shutdownSignals: [],
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // Installed already (a bench that starts two servers).
  }
}

/**
 * The same Temporal dev server the tests use (in memory, headless, Sluice's search attributes),
 * started with its output piped: a server started through TestWorkflowEnvironment prints its
 * banner on the bench's stdout, where only the bench's JSON lines belong.
 */
export async function startBenchServer(options: { defaultQueueLimits?: boolean } = {}): Promise<BenchServer> {
  installBenchRuntime();
  const server = await startDevServer({ port: await freePort(), uiPort: null, ...options });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  return {
    address: server.address, namespace: 'default', client: new Client({ connection }), nativeConnection,
    async teardown() {
      await nativeConnection.close();
      await connection.close();
      await server.stop();
    },
  };
}

/** The orchestration activities of a bench stack, callable directly for a no-Temporal baseline. */
export type StackActivities = ReturnType<typeof createActivities>;

/**
 * A fresh dev server and orchestration worker with tenant `bench`'s sample corpus ingested; runs
 * `run` with them and tears everything down afterwards, failed or not.
 */
export async function withCorpusStack<T>(
  options: { defaultQueueLimits?: boolean; activityInterceptors?: ActivityInterceptorsFactory[] },
  run: (server: BenchServer, activities: StackActivities) => Promise<T>,
): Promise<T> {
  const { activityInterceptors, ...serverOptions } = options;
  const env = await startBenchServer(serverOptions);
  const dependencies = await openTestDependencies();
  const worker = await startWorker(env, dependencies, undefined, activityInterceptors);
  try {
    return await worker.runUntil(async () => {
      await env.client.workflow.execute(workflowTypes.ingest, {
        taskQueue: taskQueues.orchestration, workflowId: 'bench-ingest',
        args: [{ tenant: 'bench', ingestId: 'corpus', path: join(__dirname, '..', 'examples', 'corpus') }],
      });
      return run(env, createActivities(dependencies));
    });
  } finally {
    await dependencies.store.close();
    await env.teardown();
  }
}
