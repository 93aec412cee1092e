// Entry point of the external-provider workers: one worker per provider queue
// (`sluice-llm-<provider>`) in one process, sharing a circuit-breaker registry.
// SLUICE_MODEL_CATALOG names the catalog file; SLUICE_LLM_PROVIDERS (comma-separated)
// picks providers, default every non-self-hosted provider in the catalog.
import type { Worker } from '@temporalio/worker';
import { loadConfig } from '../contracts/config';
import { providerQueueLimits } from '../contracts/model-catalog';
import { CircuitBreakerRegistry } from '../activities/models/circuit-breaker';
import { loadModelCatalog } from '../activities/models/load-catalog';
import { createProvider } from '../activities/models/provider-registry';
import { createLogger } from './logger';
import { prepareProcess } from './process-setup';
import { createLlmWorker } from './llm-worker';
import { installRuntime, runWorkersUntilSignal } from './runtime';
import { describeStartupError } from './startup-errors';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // Prompts and answers pass through this worker: it must share the deployment's codec keys.
  const setup = prepareProcess(config, 'llm', { allowKeyFile: false });
  const catalog = loadModelCatalog(process.env);
  const requested = process.env.SLUICE_LLM_PROVIDERS?.split(',').map((name) => name.trim()).filter(Boolean);
  const providers =
    requested ??
    Object.entries(catalog.providers)
      .filter(([, settings]) => !settings.selfHosted)
      .map(([name]) => name);
  if (providers.length === 0)
    throw new Error(
      'no external providers to serve: add some to the model catalog (SLUICE_MODEL_CATALOG) ' +
        'or set SLUICE_LLM_PROVIDERS',
    );
  // Fail at start-up, not on the first call, when a key variable is missing.
  for (const provider of providers) createProvider(catalog, provider, process.env);

  installRuntime(logger);
  const connection = await setup.connectWorker();
  const breakers = new CircuitBreakerRegistry();
  const workers: Worker[] = [];
  for (const provider of providers) {
    workers.push(
      await createLlmWorker({
        connection, namespace: config.temporalNamespace, catalog, provider, breakers, ...setup.workerOptions,
      }),
    );
    const limits = providerQueueLimits(catalog.providers[provider]!);
    // Said at start-up, so an unthrottled queue (no stated limit) is a visible choice, not a surprise.
    const rate = limits.activitiesPerSecond ?? 'unlimited';
    logger.info(
      { provider, activitiesPerSecond: rate, maxConcurrent: limits.maxConcurrent }, 'provider worker polling',
    );
  }
  await runWorkersUntilSignal(workers, async () => {
    await connection.close();
    await setup.flush();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`sluice llm worker: ${describeStartupError(error)}\n`);
  process.exit(1);
});
