// Updates and the query of budgetWorkflow, kept apart from workflow code so clients and activities
// import only these. Inputs are validated by the ledger (so typed `unknown` here): a refusal is
// answered to the caller and never enters history.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BudgetView, ReserveBudgetResult, SettleBudgetResult } from '../contracts/budget';
import { messageNames } from '../contracts/workflow-types';

/** Reserves a call's estimate (a ReserveBudgetRequest); a repeated key returns the first decision. */
export const reserveBudgetUpdate = defineUpdate<ReserveBudgetResult, [unknown]>(messageNames.reserveBudgetUpdate);

/** Settles a call's real usage (a SettleBudgetRequest); a repeated key counts nothing. */
export const settleBudgetUpdate = defineUpdate<SettleBudgetResult, [unknown]>(messageNames.settleBudgetUpdate);

/** Sets the tenant's limits (a SetBudgetRequest) and returns the budget as it then stands. */
export const setBudgetUpdate = defineUpdate<BudgetView, [unknown]>(messageNames.setBudgetUpdate);

/** The tenant's limits, usage and open reservations, as of the caller's time when it gives one (BudgetViewRequest). */
export const budgetStateQuery = defineQuery<BudgetView, [unknown?]>(messageNames.budgetStateQuery);
