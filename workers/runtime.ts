import { Runtime, type Worker } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { PinoTemporalLogger } from './logger';

/**
 * Installs the Temporal runtime once per process with pino logging. Signals are handled by
 * the entry point (not the runtime) so workers drain before the dev server stops.
 */
export function installRuntime(logger: PinoLogger): void {
  Runtime.install({ logger: new PinoTemporalLogger(logger), shutdownSignals: [] });
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
