import type { DataConverter } from '@temporalio/common';
import {
  NativeConnection, Worker, type WorkerDeploymentOptions, type WorkerPlugin, type WorkerOptions,
} from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';
import { taskQueues } from '../contracts/task-queues';

export interface OrchestrationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  dependencies: ActivityDependencies;
  /** A pre-built bundle (tests build it once); otherwise workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** @default 'sluice-orchestration' */
  taskQueue?: string;
  /** The payload codec (client/codec/load-codec.ts), the same as the clients'. @default none: payloads in clear */
  dataConverter?: DataConverter;
  /** Tracing (client/tracing/tracing.ts) when it is on. @default none */
  plugins?: WorkerPlugin[];
  /** This build's Worker Deployment version (workers/process-setup.ts). @default none: unversioned */
  workerDeploymentOptions?: WorkerDeploymentOptions;
}

/** The worker that runs Sluice workflows and the cheap activities beside them. */
export async function createOrchestrationWorker(options: OrchestrationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? taskQueues.orchestration,
    dataConverter: options.dataConverter,
    plugins: options.plugins,
    workerDeploymentOptions: options.workerDeploymentOptions,
    activities: createActivities(options.dependencies),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    // Gates and retrieval are CPU-light but the embedded store is one process: keep it modest.
    maxConcurrentActivityTaskExecutions: 16,
    // Lets in-flight activities finish on Ctrl-C before the worker exits.
    shutdownGraceTime: '20 seconds',
  });
}
