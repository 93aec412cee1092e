import type { DataConverter } from '@temporalio/common';
import {
  NativeConnection, Runtime, Worker, type ActivityInterceptorsFactory, type WorkerDeploymentOptions,
  type WorkerPlugin, type WorkerOptions,
} from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActivities, type ActivityDependencies } from '../activities';
import { taskQueues } from '../contracts/task-queues';
import { projectRoot } from '../temporal-config/project-root';
import { shareModulesAcrossRuns } from './share-modules-across-runs.cjs';
import { bundleWorkflowsInChildProcess, workflowBundleInputs } from './workflow-bundle';

export interface OrchestrationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  dependencies: ActivityDependencies;
  /**
   * A pre-built bundle (tests build it once); otherwise workflows are bundled from source, in a child
   * process (workers/workflow-bundle.ts) so the bundler's memory is not the worker's.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** @default 'sluice-orchestration' */
  taskQueue?: string;
  /** The payload codec (client/codec/load-codec.ts), the same as the clients'. @default none: payloads in clear */
  dataConverter?: DataConverter;
  /** Tracing (client/tracing/tracing.ts) when it is on. @default none */
  plugins?: WorkerPlugin[];
  /** This build's Worker Deployment version (workers/process-setup.ts). @default none: unversioned */
  workerDeploymentOptions?: WorkerDeploymentOptions;
  /** Activity interceptors (benches time each activity with one). @default none */
  activityInterceptors?: ActivityInterceptorsFactory[];
}

/** The worker that runs Sluice workflows and the cheap activities beside them. */
export async function createOrchestrationWorker(options: OrchestrationWorkerOptions): Promise<Worker> {
  return withWorkflowCode(options, (code) => Worker.create({
    ...code,
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? taskQueues.orchestration,
    dataConverter: options.dataConverter,
    plugins: options.plugins,
    workerDeploymentOptions: options.workerDeploymentOptions,
    ...(options.activityInterceptors ? { interceptors: { activity: options.activityInterceptors } } : {}),
    activities: createActivities(options.dependencies),
    // Gates and retrieval are CPU-light but the embedded store is one process: keep it modest.
    maxConcurrentActivityTaskExecutions: 16,
    // Lets in-flight activities finish on Ctrl-C before the worker exits.
    shutdownGraceTime: '20 seconds',
  }));
}

type WorkflowCode = Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>;

/**
 * Runs `create` with the bundle given, else with one built from source in a child process into a
 * temporary file, removed once the worker has read it (in process when a plugin needs that).
 */
async function withWorkflowCode(
  options: OrchestrationWorkerOptions, create: (code: WorkflowCode) => Promise<Worker>,
): Promise<Worker> {
  if (options.workflowBundle) return create({ workflowBundle: options.workflowBundle });
  // From the sources, also when this worker runs compiled (dist/): the bundle is built from what is tested.
  const workflowsPath = join(projectRoot, 'workflows', 'index.ts');
  const inputs = workflowBundleInputs(workflowsPath, options.dataConverter, options.plugins);
  if (!inputs) return create({ workflowsPath, bundlerOptions: { webpackConfigHook: shareModulesAcrossRuns() } });
  const directory = await mkdtemp(join(tmpdir(), 'sluice-workflows-'));
  try {
    const codePath = join(directory, 'workflow-bundle.js');
    await bundleWorkflowsInChildProcess(inputs, codePath, (message) => Runtime.instance().logger.warn(message));
    return await create({ workflowBundle: { codePath } });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
