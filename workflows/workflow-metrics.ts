import { metricMeter } from '@temporalio/workflow';
import type { AnswerResult } from '../contracts/answer';
import { sluiceMetrics } from '../contracts/metric-names';

// Metrics recorded by workflows through the workflow metric meter: the SDK drops them while a history
// replays, so a run counts once however often a worker rebuilds it. Recording adds no command to
// history, so these calls need no patch.

/** One finished answer run, with its model fallbacks and cache use. */
export function countAnswer(tenant: string, result: AnswerResult): void {
  const cache = result.cache?.hit ?? 'none';
  metricMeter.createCounter(sluiceMetrics.answers.name, 'answers', sluiceMetrics.answers.description)
    .add(1, { tenant, status: result.status, cache });
  const fallbacks = result.generation?.fallbacks ?? 0;
  if (fallbacks > 0) {
    metricMeter.createCounter(sluiceMetrics.modelFallbacks.name, 'fallbacks', sluiceMetrics.modelFallbacks.description)
      .add(fallbacks, { answered_by: result.model });
  }
}

/** The result of one answer cache lookup. */
export function countCacheLookup(result: 'exact' | 'semantic' | 'miss'): void {
  metricMeter.createCounter(sluiceMetrics.cacheLookups.name, 'lookups', sluiceMetrics.cacheLookups.description)
    .add(1, { result });
}

/** How long a run waited for its reviewer (workflow time: deterministic, and the real wait). */
export function recordReviewWait(waitedMs: number, decision: string): void {
  metricMeter.createHistogram(sluiceMetrics.reviewWait.name, 'float', 'ms', sluiceMetrics.reviewWait.description)
    .record(Math.max(0, waitedMs), { decision });
}
