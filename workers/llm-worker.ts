import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerDeploymentOptions, type WorkerPlugin } from '@temporalio/worker';
import { findModel, modelTaskQueue, providerQueueLimits, type ModelCatalog } from '../contracts/model-catalog';
import { llmTaskQueue } from '../contracts/task-queues';
import { CircuitBreakerRegistry } from '../activities/models/circuit-breaker';
import type { CostRecorder } from '../activities/models/cost-recorder';
import { createProviderActivities } from '../activities/models/provider-activities';

export interface ProviderWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  catalog: ModelCatalog;
  /** Where API keys are read from. @default process.env */
  environment?: Record<string, string | undefined>;
  /** One registry per process, so every queue of a provider shares its breaker. */
  breakers?: CircuitBreakerRegistry;
  costRecorder?: CostRecorder;
  /** The payload codec (client/codec/load-codec.ts), the same as the clients'. @default none: payloads in clear */
  dataConverter?: DataConverter;
  /** Tracing (client/tracing/tracing.ts) when it is on. @default none */
  plugins?: WorkerPlugin[];
  /** This build's Worker Deployment version (workers/process-setup.ts). @default none: unversioned */
  workerDeploymentOptions?: WorkerDeploymentOptions;
}

/**
 * Worker for an external provider's queue (`sluice-llm-<provider>`). The server-side rate
 * limit (`maxTaskQueueActivitiesPerSecond`, from the catalog's `requestsPerMinute` or
 * `activitiesPerSecond`; none when neither is stated) holds across every worker polling the
 * queue, so scaling out never exceeds the provider's limit; concurrency bounds in-flight calls
 * per process.
 */
export async function createLlmWorker(options: ProviderWorkerOptions & { provider: string }): Promise<Worker> {
  const settings = options.catalog.providers[options.provider];
  if (!settings) throw new Error(`provider ${options.provider} is not in the model catalog`);
  if (settings.selfHosted)
    throw new Error(`provider ${options.provider} is self-hosted: run workers/gpu.ts for its models`);
  return createModelQueueWorker(options, llmTaskQueue(options.provider), settings.streamIntervalMs,
    providerQueueLimits(settings));
}

/**
 * Worker for a self-hosted model's queue (`sluice-gpu-<model>`), run on the GPU host beside
 * its OpenAI-compatible server. Concurrency is the server's batch capacity: more in-flight
 * requests would only queue inside the server, fewer would leave batch slots idle.
 */
export async function createGpuWorker(
  options: ProviderWorkerOptions & { modelId: string; batchCapacity?: number },
): Promise<Worker> {
  const model = findModel(options.catalog, options.modelId);
  if (!model) throw new Error(`model ${options.modelId} is not in the model catalog`);
  const settings = options.catalog.providers[model.provider];
  if (!settings?.selfHosted) throw new Error(`model ${options.modelId} is not served by a self-hosted provider`);
  return createModelQueueWorker(options, modelTaskQueue(options.catalog, model), settings.streamIntervalMs,
    providerQueueLimits(settings, options.batchCapacity));
}

/** A worker running the provider activities on one model queue, with that queue's rate and concurrency limits. */
function createModelQueueWorker(
  options: ProviderWorkerOptions, taskQueue: string, streamIntervalMs: number,
  limits: ReturnType<typeof providerQueueLimits>,
): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    dataConverter: options.dataConverter,
    plugins: options.plugins,
    workerDeploymentOptions: options.workerDeploymentOptions,
    taskQueue,
    activities: createProviderActivities({
      catalog: options.catalog,
      environment: options.environment,
      breakers: options.breakers,
      costRecorder: options.costRecorder,
    }),
    maxTaskQueueActivitiesPerSecond: limits.activitiesPerSecond,
    maxConcurrentActivityTaskExecutions: limits.maxConcurrent,
    // Streamed text reaches callers as heartbeat details, at most one heartbeat per throttle interval.
    maxHeartbeatThrottleInterval: streamIntervalMs,
    shutdownGraceTime: '30 seconds',
  });
}
