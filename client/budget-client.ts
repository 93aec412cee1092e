import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client,
} from '@temporalio/client';
import {
  budgetLimitsSchema, budgetViewSchema, setBudgetRequestSchema,
  type BudgetLimitsInput, type BudgetView, type BudgetViewRequest,
} from '../contracts/budget';
import { formatZodError } from '../contracts/format-error';
import { identifierSchema } from '../contracts/ids';
import { taskQueues } from '../contracts/task-queues';
import { messageNames, runOwnerMemoKey, workflowIds, workflowTypes } from '../contracts/workflow-types';
import { InvalidRequestError, SluiceClientError } from './errors';
import { parseOrThrow } from './start-once';

// A tenant's budget ledger (budgetWorkflow) as callers see it: set limits, show usage. The
// activities that reserve and settle use `updateBudgetLedger` too, so every caller reaches the
// ledger the same way: update-with-start, so whoever comes first creates it.

/** The ledger refused an update: a limit it could not accept, or a request for another tenant. */
export class BudgetRefusedError extends SluiceClientError {
  override readonly name = 'BudgetRefusedError';
}

/** Update names of the ledger, as `updateBudgetLedger` takes them. */
export type BudgetUpdateName =
  | typeof messageNames.reserveBudgetUpdate
  | typeof messageNames.settleBudgetUpdate
  | typeof messageNames.setBudgetUpdate;

/**
 * Sends an update to the tenant's ledger, starting it when it does not run yet (an id conflict
 * joins the running one). `updateId` makes a repeat of the same call one update for the server.
 * A refusal by the ledger's validator surfaces as WorkflowUpdateFailedError.
 */
export async function updateBudgetLedger(
  client: Client, tenant: string, update: BudgetUpdateName, request: unknown, updateId: string,
): Promise<unknown> {
  const startWorkflowOperation = new WithStartWorkflowOperation(workflowTypes.budget, {
    workflowId: workflowIds.budget(tenant), taskQueue: taskQueues.orchestration, args: [{ tenant }],
    workflowIdConflictPolicy: 'USE_EXISTING', memo: { [runOwnerMemoKey]: tenant },
    staticSummary: `budget ledger of ${tenant}`,
  });
  return client.workflow.executeUpdateWithStart(update, { args: [request], updateId, startWorkflowOperation });
}

/** The message of a refused update: the ledger's reason, not the SDK's wrapper. */
export function refusalMessage(error: WorkflowUpdateFailedError): string {
  return error.cause?.message || error.message;
}

/**
 * Sets a tenant's limits. `merge` (the default) replaces the tenant limit when given and the named
 * features' limits, keeping the others; `replace` sets the whole budget. A limit that does not
 * parse is an InvalidRequestError naming the field; usage and open reservations are kept.
 */
export async function setBudget(
  client: Client, tenant: string, limits: BudgetLimitsInput, mode: 'merge' | 'replace' = 'merge',
): Promise<BudgetView> {
  const request = parseOrThrow(setBudgetRequestSchema, { tenant, limits, mode });
  try {
    // A fresh update id per call: setting the same limits twice is harmless, and a later set must apply.
    const view = await updateBudgetLedger(
      client, request.tenant, messageNames.setBudgetUpdate, request, `set~${randomUUID()}`,
    );
    return budgetViewSchema.parse(view);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw new BudgetRefusedError(refusalMessage(error));
    throw error;
  }
}

/** A tenant's limits, usage in each scope's current period and open reservations. */
export async function showBudget(client: Client, tenant: string): Promise<BudgetView> {
  const parsedTenant = identifierSchema.safeParse(tenant);
  if (!parsedTenant.success) throw new InvalidRequestError(formatZodError(parsedTenant.error, 'tenant'));
  try {
    // Our clock, not the ledger's last update, decides which period is current (contracts/budget.ts).
    const asOf: BudgetViewRequest = { asOfMs: Date.now() };
    const view = await client.workflow.getHandle(workflowIds.budget(parsedTenant.data))
      .query(messageNames.budgetStateQuery, asOf);
    return budgetViewSchema.parse(view);
  } catch (error) {
    // No ledger yet: nothing was ever reserved or set for the tenant.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    return {
      tenant: parsedTenant.data, limits: budgetLimitsSchema.parse({}), scopes: [], openReservations: 0,
      asOf: new Date().toISOString(),
    };
  }
}
