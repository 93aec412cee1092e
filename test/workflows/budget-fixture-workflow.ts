// A test-only workflow that drives the budget steps as a pipeline workflow would: reserve, wait
// (so a test can stop its worker between the two), settle. Bundled with the ledger it talks to.
import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import type { ReserveBudgetResult, SettleBudgetResult } from '../../contracts/budget';
import { reserveForCall, settleCall } from '../../workflows/budget-steps';

export { budgetWorkflow } from '../../workflows/budget-workflow';

/** Lets a call that waits before settling go on. */
export const settleNowSignal = defineSignal('settleNow');

export interface BudgetCallInput {
  tenant: string;
  feature: string;
  key: string;
  estimateTokens: number;
  estimateMicroUsd: number;
  usedTokens: number;
  usedMicroUsd: number;
  /** Waits for `settleNow` between reserve and settle. */
  waitBeforeSettle?: boolean;
}

export async function budgetCallWorkflow(
  input: BudgetCallInput,
): Promise<{ reserve: ReserveBudgetResult; settle?: SettleBudgetResult }> {
  let settleNow = false;
  setHandler(settleNowSignal, () => {
    settleNow = true;
  });
  const { tenant, feature, key } = input;
  const reserve = await reserveForCall({
    tenant, feature, key, estimateTokens: input.estimateTokens, estimateMicroUsd: input.estimateMicroUsd,
  });
  if (!reserve.granted) return { reserve };
  if (input.waitBeforeSettle) await condition(() => settleNow);
  const settle = await settleCall({ tenant, key, usedTokens: input.usedTokens, usedMicroUsd: input.usedMicroUsd });
  return { reserve, settle };
}
