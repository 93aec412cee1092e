import { patched } from '@temporalio/workflow';
import type { OverBudgetPolicy } from '../contracts/budget-policy';
import { extractiveProvider } from '../contracts/model-catalog';
import type { ReserveBudgetResult } from '../contracts/budget';
import type { GenerateResult, ModelPlan } from '../contracts/models';
import { budgetExceeded, callBudgetKey, reserveForCall, settleCall } from './budget-steps';

// The answer's model call against the tenant's budget: reserve the first paid model's estimate before
// the call, settle what the call really used after it. The offline extractive model costs nothing and
// reserves nothing, so the one-machine default never touches the ledger.

/** Marks runs whose paid model calls reserve and settle budget. */
export const answerBudgetPatch = 'sluice-answer-budget-v1';

/** A model plan the budget allows, and the key to settle under (absent when nothing was reserved). */
export interface BudgetedPlan {
  modelPlan: ModelPlan;
  key?: string;
}

interface BudgetCall {
  tenant: string;
  feature: string;
  overBudget?: OverBudgetPolicy;
}

type Reservation = { reserved: false } | { reserved: true; key: string; decision: ReserveBudgetResult };

/**
 * Reserves the plan's first paid model's estimate (input plus the full output allowance, priced) under
 * the key of `step`; nothing is reserved for a free model or a plan pinned before budgets.
 */
async function reserveCall(call: BudgetCall, modelPlan: ModelPlan, step: string): Promise<Reservation> {
  const first = modelPlan.candidates[0];
  if (!first || first.provider === extractiveProvider || call.overBudget === undefined) return { reserved: false };
  if (!patched(answerBudgetPatch)) return { reserved: false };
  const key = callBudgetKey(step);
  const decision = await reserveForCall({
    tenant: call.tenant, feature: call.feature, key,
    estimateTokens: first.estimatedInputTokens + (first.estimatedOutputTokens ?? 0),
    estimateMicroUsd: first.estimatedCostMicroUsd,
  });
  return { reserved: true, key, decision };
}

/**
 * Reserves for the answer's model call. Refused: `reject` throws BudgetExceeded (non-retryable);
 * `downgrade` keeps only the free models, so the extractive answer follows, and says why in the routing
 * decision's exclusions.
 */
export async function reserveForGeneration(call: BudgetCall, modelPlan: ModelPlan): Promise<BudgetedPlan> {
  const reservation = await reserveCall(call, modelPlan, 'generate');
  if (!reservation.reserved) return { modelPlan };
  const { key, decision } = reservation;
  if (decision.granted) return { modelPlan, key };
  if (call.overBudget === 'reject') throw budgetExceeded(decision);
  const reason = `over budget: ${decision.reason ?? 'refused'}`;
  const paid = modelPlan.candidates.filter((candidate) => candidate.provider !== extractiveProvider);
  return {
    modelPlan: {
      ...modelPlan,
      candidates: modelPlan.candidates.filter((candidate) => candidate.provider === extractiveProvider),
      decision: {
        ...modelPlan.decision,
        excluded: [
          ...modelPlan.decision.excluded, ...paid.map((candidate) => ({ modelId: candidate.modelId, reason })),
        ],
      },
    },
  };
}

/**
 * A refinement turn's model call (`step`, e.g. `judge-1`) within the budget: reserved, run, settled.
 * Undefined when the budget cannot cover it: the caller then judges or revises offline, for free,
 * whatever the route's `overBudget` (the answer itself was already paid for).
 */
export async function budgetedModelCall<T extends Pick<GenerateResult, 'usage' | 'costMicroUsd'>>(
  call: BudgetCall, modelPlan: ModelPlan, step: string, run: () => Promise<T>,
): Promise<T | undefined> {
  const reservation = await reserveCall(call, modelPlan, step);
  if (!reservation.reserved) return run();
  if (!reservation.decision.granted) return undefined;
  return runAndSettle(call, { modelPlan, key: reservation.key }, run);
}

/** Runs a reserved call and settles what it used; a call that fails settles nothing used, releasing the hold. */
export async function runAndSettle<T extends Pick<GenerateResult, 'usage' | 'costMicroUsd'>>(
  call: BudgetCall, budgeted: BudgetedPlan, run: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await settleGeneration(call, budgeted, { usage: { inputTokens: 0, outputTokens: 0 }, costMicroUsd: 0 });
    throw error;
  }
  await settleGeneration(call, budgeted, result);
  return result;
}

/** Settles what the call used (every attempt and fallback) under the key it reserved with. */
export async function settleGeneration(
  call: { tenant: string; feature: string },
  budgeted: BudgetedPlan,
  generated: Pick<GenerateResult, 'usage' | 'costMicroUsd'>,
): Promise<void> {
  if (budgeted.key === undefined) return;
  await settleCall({
    tenant: call.tenant, feature: call.feature, key: budgeted.key,
    usedTokens: generated.usage.inputTokens + generated.usage.outputTokens, usedMicroUsd: generated.costMicroUsd,
  });
}
