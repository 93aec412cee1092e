import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import {
  budgetLedgerInputSchema, budgetViewRequestSchema, reserveBudgetRequestSchema, setBudgetRequestSchema,
  settleBudgetRequestSchema, type BudgetLedgerInput,
} from '../contracts/budget';
import { errorTypes } from '../contracts/error-types';
import { formatZodError } from '../contracts/format-error';
import { workflowStatuses } from '../contracts/search-attributes';
import { workflowVersioning } from '../contracts/worker-deployment';
import { BudgetLedger } from './budget-ledger';
import { budgetStateQuery, reserveBudgetUpdate, setBudgetUpdate, settleBudgetUpdate } from './budget-messages';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';
import { declareVersioning } from './versioning';

// Why an entity workflow per tenant, not a store with idempotency keys: Temporal runs one
// workflow's update handlers one activation at a time, and these handlers never await, so each
// check-and-reserve is atomic without a lock, on any number of workers; the ledger is durable
// without a database of its own. Retries are idempotent twice over: callers use the request's
// key as the update id (the server answers a repeated id with the first outcome while the run
// lives) and the ledger remembers keys across continue-as-new. The price is throughput: one
// tenant's updates are serial (tens per second), which is ample for budget checks per model call.

/** Feature search attribute of ledgers, so they are kept apart from the runs they budget. */
const budgetFeature = 'budget';

/**
 * A validator that refuses input the schema does not accept, or of another tenant, with a message
 * naming the field, before anything enters history.
 */
function validatorOf(schema: z.ZodType<{ tenant: string }>, tenant: string): (raw: unknown) => void {
  return (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(formatZodError(parsed.error), errorTypes.invalidInput);
    if (parsed.data.tenant !== tenant) {
      throw ApplicationFailure.nonRetryable(
        `tenant: this is the budget ledger of ${tenant}, not of ${parsed.data.tenant}`, errorTypes.invalidInput,
      );
    }
  };
}

/**
 * A tenant's budget ledger, for ever: reserves estimates and settles real usage through validated
 * updates, answers `budgetState`, and continues as new (carrying its state) when its history grows.
 */
export async function budgetWorkflow(raw: unknown): Promise<void> {
  const input: BudgetLedgerInput = parseWorkflowInput(budgetLedgerInputSchema, raw);
  const { tenant } = input;
  const ledger = new BudgetLedger(tenant, input, input.state);
  // Workflow time: recorded in history, so a replay decides the same.
  setHandler(reserveBudgetUpdate, (request) => ledger.reserve(reserveBudgetRequestSchema.parse(request), Date.now()), {
    validator: validatorOf(reserveBudgetRequestSchema, tenant),
  });
  setHandler(settleBudgetUpdate, (request) => ledger.settle(settleBudgetRequestSchema.parse(request), Date.now()), {
    validator: validatorOf(settleBudgetRequestSchema, tenant),
  });
  setHandler(setBudgetUpdate, (request) => ledger.setLimits(setBudgetRequestSchema.parse(request), Date.now()), {
    validator: validatorOf(setBudgetRequestSchema, tenant),
  });
  setHandler(budgetStateQuery, (request) => {
    // Workflow time stands at the last update; a caller's later clock rolls the periods over for the view only.
    const asked = budgetViewRequestSchema.safeParse(request);
    return ledger.view(Math.max(Date.now(), asked.success ? asked.data.asOfMs : 0));
  });
  markExecution({ tenant, feature: budgetFeature, status: workflowStatuses.running });

  const historyFull = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= input.maxHistoryLength;
  };
  await condition(historyFull);
  // An update's reply is sent when its handler returns: let every accepted one finish first.
  await condition(allHandlersFinished);
  const { state: _previous, ...bounds } = input;
  await continueAsNew<typeof budgetWorkflow>({ ...bounds, state: ledger.snapshot() });
}

// Auto-upgrade: the ledger lives for ever, so it moves to each new build at its next task; changes to it go
// behind patched() (contracts/worker-deployment.ts).
declareVersioning(budgetWorkflow, workflowVersioning.budget);
