import { Runtime, type RuntimeOptions, type Worker } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { parseEnvironment } from '../contracts/config';
import { telemetryConfigSchema, telemetryEnvironmentVariables } from '../contracts/telemetry';
import { PinoTemporalLogger } from './logger';

export interface RuntimeSettings {
  /** Scrape address used when SLUICE_METRICS_ADDRESS is unset (`npm start` exports by default). */
  defaultMetricsAddress?: string;
  environment?: Record<string, string | undefined>;
}

/** The runtime's telemetry: Prometheus on SLUICE_METRICS_ADDRESS (or the default), else none. */
export function telemetryOptions(settings: RuntimeSettings = {}): RuntimeOptions['telemetryOptions'] {
  const environment = settings.environment ?? process.env;
  const config = parseEnvironment(telemetryConfigSchema, telemetryEnvironmentVariables, environment);
  const address = config.metricsAddress ?? settings.defaultMetricsAddress;
  if (!address || address === 'off') return undefined;
  // `_total` on counters is the Prometheus convention; Sluice's own metrics carry no prefix of their own.
  return { metrics: { prometheus: { bindAddress: address, countersTotalSuffix: true } } };
}

/**
 * Installs the Temporal runtime once per process with pino logging and, when configured, a
 * Prometheus endpoint for the runtime's and Sluice's metrics. Signals are handled by the entry
 * point (not the runtime) so workers drain before the dev server stops.
 */
export function installRuntime(logger: PinoLogger, settings: RuntimeSettings = {}): void {
  const telemetry = telemetryOptions(settings);
  Runtime.install({
    logger: new PinoTemporalLogger(logger), shutdownSignals: [], ...(telemetry ? { telemetryOptions: telemetry } : {}),
  });
  const bindAddress = telemetry?.metrics && 'prometheus' in telemetry.metrics
    ? telemetry.metrics.prometheus.bindAddress : undefined;
  if (bindAddress) logger.info({ metrics: `http://${bindAddress}/metrics` }, 'Prometheus metrics endpoint');
}

/** Calls `onSignal` once on the first SIGINT/SIGTERM; a second signal exits at once. */
export function onShutdownSignal(onSignal: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      void onSignal(signal).then(() => process.exit(0), () => process.exit(1));
    });
  }
}

/** Runs workers until SIGINT/SIGTERM, then drains them (in-flight tasks finish) and runs `cleanUp`. */
export async function runWorkersUntilSignal(workers: readonly Worker[], cleanUp: () => Promise<void>): Promise<void> {
  const running = Promise.all(workers.map((worker) => worker.run()));
  onShutdownSignal(async () => {
    workers.forEach((worker) => worker.shutdown());
    await running;
    await cleanUp();
  });
  await running;
}
