/** Percentile of a sample (nearest-rank), in the sample's unit. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/** Latency percentiles of a run. */
export interface Summary {
  n: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

/** p50/p99/mean of latencies in milliseconds, rounded for printing. */
export function summarise(latenciesMs: readonly number[]): Summary {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const mean = latenciesMs.reduce((sum, value) => sum + value, 0) / latenciesMs.length;
  return {
    n: latenciesMs.length,
    p50Ms: round(percentile(latenciesMs, 0.5)),
    p99Ms: round(percentile(latenciesMs, 0.99)),
    meanMs: round(mean),
  };
}

/** Milliseconds taken by `run`. */
export async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
