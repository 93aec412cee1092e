// Entry point of a GPU-host worker: runs beside an OpenAI-compatible server (vLLM, TGI,
// Ollama, llama.cpp, `transformers serve`) and polls `sluice-gpu-<model>` for each
// self-hosted model that server serves. Concurrency = the server's batch capacity
// (catalog `batchCapacity`, or SLUICE_GPU_BATCH_CAPACITY), so the worker keeps the batch full
// without queueing requests inside the server.
// SLUICE_GPU_MODELS (comma-separated) picks models; default every self-hosted model.
import type { Worker } from '@temporalio/worker';
import { loadConfig } from '../contracts/config';
import { findModel, providerQueueLimits } from '../contracts/model-catalog';
import { CircuitBreakerRegistry } from '../activities/models/circuit-breaker';
import { loadModelCatalog } from '../activities/models/load-catalog';
import { createLogger } from './logger';
import { prepareProcess } from './process-setup';
import { createGpuWorker } from './llm-worker';
import { installRuntime, runWorkersUntilSignal } from './runtime';
import { describeStartupError } from './startup-errors';

/** Waits until the co-located server lists its models, so no task is taken before it can serve. */
async function waitForServer(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl.replace(/\/$/, '')}/models`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`the model server at ${baseUrl} did not answer GET /models within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // Prompts and answers pass through this worker: it must share the deployment's codec keys.
  const setup = prepareProcess(config, 'gpu', { allowKeyFile: false });
  const catalog = loadModelCatalog(process.env);
  const requested = process.env.SLUICE_GPU_MODELS?.split(',').map((id) => id.trim()).filter(Boolean);
  const models =
    requested ??
    catalog.models.filter((model) => catalog.providers[model.provider]?.selfHosted).map((model) => model.id);
  if (models.length === 0)
    throw new Error(
      'no self-hosted models to serve: mark a provider `selfHosted` in the model catalog or set SLUICE_GPU_MODELS',
    );
  const capacityOverride = process.env.SLUICE_GPU_BATCH_CAPACITY
    ? Number(process.env.SLUICE_GPU_BATCH_CAPACITY)
    : undefined;
  if (capacityOverride !== undefined && !(Number.isInteger(capacityOverride) && capacityOverride > 0))
    throw new Error('SLUICE_GPU_BATCH_CAPACITY: must be a positive integer');

  for (const id of models) {
    const model = findModel(catalog, id);
    const baseUrl = model && catalog.providers[model.provider]?.baseUrl;
    if (!baseUrl) throw new Error(`model ${id} is not a self-hosted model with a baseUrl in the catalog`);
    logger.info({ model: id, baseUrl }, 'waiting for the model server');
    await waitForServer(baseUrl, Number(process.env.SLUICE_GPU_SERVER_WAIT_MS ?? 600_000));
  }

  installRuntime(logger);
  const connection = await setup.connectWorker();
  const breakers = new CircuitBreakerRegistry();
  const workers: Worker[] = [];
  for (const modelId of models) {
    workers.push(
      await createGpuWorker({
        connection,
        namespace: config.temporalNamespace,
        catalog,
        modelId,
        breakers,
        batchCapacity: capacityOverride,
        ...setup.workerOptions,
      }),
    );
    const limits = providerQueueLimits(catalog.providers[findModel(catalog, modelId)!.provider]!, capacityOverride);
    const rate = limits.activitiesPerSecond ?? 'unlimited';
    logger.info(
      { model: modelId, activitiesPerSecond: rate, maxConcurrent: limits.maxConcurrent }, 'GPU worker polling',
    );
  }
  await runWorkersUntilSignal(workers, async () => {
    await connection.close();
    await setup.flush();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`sluice gpu worker: ${describeStartupError(error)}\n`);
  process.exit(1);
});
