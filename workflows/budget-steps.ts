import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import {
  budgetExceededErrorType,
  type ReserveBudgetRequest, type ReserveBudgetResult, type SettleBudgetRequest, type SettleBudgetResult,
} from '../contracts/budget';
import { budgetPreset } from './activity-presets';

// Budget steps for a pipeline workflow, around each model call:
//
//   const key = callBudgetKey('generate');              // once, before the call; kept for the settle
//   const decision = await reserveForCall({ tenant, feature, key, estimateTokens, estimateMicroUsd });
//   if (!decision.granted) { /* the route's policy: throw budgetExceeded(decision), or a cheaper model */ }
//   …call the model…
//   await settleCall({ tenant, key, usedTokens, usedMicroUsd });
//
// Both are idempotent by key: a retried activity, a replay, or a worker that dies between the two
// (the workflow resumes elsewhere and settles then) counts the call once. A reservation never
// settled is released by the ledger after its bound (1 hour by default).

const budget = proxyActivities<SluiceActivities>(budgetPreset);

/**
 * The idempotency key of one budgeted call of this run: the run id and the step's name (letters,
 * digits, `_ . : -`). Compute it once and pass the same key to reserve and settle; a call made again
 * on purpose (a fallback to another model) takes another step name.
 */
export function callBudgetKey(step: string): string {
  return `${workflowInfo().runId}:${step}`;
}

/**
 * Reserves the call's estimate against the tenant's and the feature's budgets. Returns the decision
 * (`granted`, a `reason` naming the scope and what is left when refused, `remaining` per scope);
 * a repeated key returns the first decision with `duplicate: true`. Bad input fails with InvalidInput.
 */
export function reserveForCall(request: ReserveBudgetRequest): Promise<ReserveBudgetResult> {
  return budget.reserveBudget(request);
}

/**
 * Settles the call's real usage under the key it reserved with, releasing the reservation. Counted
 * once per key (`duplicate: true` on a repeat); a reservation that expired still has its usage counted,
 * charged to `feature` when given.
 */
export function settleCall(request: SettleBudgetRequest): Promise<SettleBudgetResult> {
  return budget.settleBudget(request);
}

/** The failure a route whose policy is to reject throws on a refused reservation; never retried. */
export function budgetExceeded(decision: ReserveBudgetResult): ApplicationFailure {
  return ApplicationFailure.create({
    type: budgetExceededErrorType, nonRetryable: true,
    message: decision.reason ?? `budget exceeded for call ${decision.key}`,
  });
}
