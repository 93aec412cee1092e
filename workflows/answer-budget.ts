import { patched } from '@temporalio/workflow';
import type { OverBudgetPolicy } from '../contracts/budget-policy';
import { extractiveProvider } from '../contracts/model-catalog';
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

/**
 * Reserves the plan's first paid model's estimate (input plus the full output allowance, priced).
 * Refused: `reject` throws BudgetExceeded (non-retryable); `downgrade` keeps only the free models, so
 * the extractive answer follows, and says why in the routing decision's exclusions.
 */
export async function reserveForGeneration(
  call: { tenant: string; feature: string; overBudget?: OverBudgetPolicy }, modelPlan: ModelPlan,
): Promise<BudgetedPlan> {
  const first = modelPlan.candidates[0];
  if (!first || first.provider === extractiveProvider || call.overBudget === undefined) return { modelPlan };
  if (!patched(answerBudgetPatch)) return { modelPlan };
  const key = callBudgetKey('generate');
  const decision = await reserveForCall({
    tenant: call.tenant, feature: call.feature, key,
    estimateTokens: first.estimatedInputTokens + (first.estimatedOutputTokens ?? 0),
    estimateMicroUsd: first.estimatedCostMicroUsd,
  });
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
