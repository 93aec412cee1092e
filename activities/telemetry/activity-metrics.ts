import { Context } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import { sluiceMetrics } from '../../contracts/metric-names';
import type { TokenUsage } from '../../contracts/models';

// Metrics recorded from inside activities, through the activity's metric meter (which adds namespace,
// task queue and activity type). Outside an activity (unit tests driving a class directly) they are
// dropped: metrics never fail the work they describe.

function currentMeter(): MetricMeter | undefined {
  try {
    return Context.current().metricMeter;
  } catch {
    return undefined;
  }
}

const breakerStateValues = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Tokens and cost of one priced model call. */
export function countModelCall(call: {
  tenant?: string; provider: string; modelId: string; usage: TokenUsage; costMicroUsd: number;
}): void {
  const meter = currentMeter();
  if (!meter) return;
  const labels = { tenant: call.tenant ?? 'unknown', provider: call.provider, model: call.modelId };
  const tokens = meter.createCounter(sluiceMetrics.modelTokens.name, 'tokens', sluiceMetrics.modelTokens.description);
  tokens.add(call.usage.inputTokens, { ...labels, direction: 'input' });
  tokens.add(call.usage.outputTokens, { ...labels, direction: 'output' });
  meter.createCounter(sluiceMetrics.modelCost.name, 'micro-USD', sluiceMetrics.modelCost.description)
    .add(call.costMicroUsd, labels);
}

/** One gate decision (no tenant label: gates × actions × tenants would be too many series). */
export function countGateDecision(decision: { stage: string; gate: string; action: string }): void {
  currentMeter()
    ?.createCounter(sluiceMetrics.gateDecisions.name, 'decisions', sluiceMetrics.gateDecisions.description)
    .add(1, { stage: decision.stage, gate: decision.gate, action: decision.action });
}

/** A provider's breaker state on this worker, set on every change. */
export function setBreakerState(provider: string, state: keyof typeof breakerStateValues): void {
  currentMeter()
    ?.createGauge(sluiceMetrics.breakerState.name, 'int', 'state', sluiceMetrics.breakerState.description)
    .set(breakerStateValues[state], { provider });
}
