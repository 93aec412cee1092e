import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { z } from 'zod';
import {
  reserveBudgetRequestSchema, reserveBudgetResultSchema, settleBudgetRequestSchema, settleBudgetResultSchema,
  type ReserveBudgetResult, type SettleBudgetResult,
} from '../../contracts/budget';
import { formatZodError } from '../../contracts/format-error';
import { messageNames } from '../../contracts/workflow-types';
import { refusalMessage, updateBudgetLedger, type BudgetUpdateName } from '../../client/budget-client';
import { invalidInput } from '../failures';

// Reserve and settle against the tenant's budget ledger (workflows/budget-workflow.ts). Both are
// idempotent by the request's key: it is the update id (the server answers a repeat with the first
// outcome) and the ledger remembers it (a repeat after continue-as-new changes nothing), so an
// activity retried after a lost reply, or run again by another worker, counts once.

export interface BudgetActivityDependencies {
  /** Client that reaches the ledgers. @default the worker's own (`Context.current().client`) */
  client?: Client;
}

/** Update ids per kind: a key's reserve and its settle are two updates, never deduplicated together. */
const updateIdOf = (kind: 'reserve' | 'settle', key: string): string => `${kind}~${key}`;

/** The activities that reserve and settle budget, bound to their client. */
export function createBudgetActivities(dependencies: BudgetActivityDependencies = {}) {
  const clientOf = (): Client => dependencies.client ?? Context.current().client;

  async function callLedger<Result>(
    update: BudgetUpdateName, kind: 'reserve' | 'settle', request: { tenant: string; key: string },
    resultSchema: z.ZodType<Result>,
  ): Promise<Result> {
    try {
      const answer = await updateBudgetLedger(
        clientOf(), request.tenant, update, request, updateIdOf(kind, request.key),
      );
      return resultSchema.parse(answer);
    } catch (error) {
      // The ledger's validator refused the request: the same request would be refused again.
      if (error instanceof WorkflowUpdateFailedError) throw invalidInput(refusalMessage(error));
      // Anything else (server or ledger unreachable, a timeout) is retried: the key keeps it once.
      throw error;
    }
  }

  return {
    /** Reserves a call's estimate; the decision says whether it was granted and, if not, why. */
    async reserveBudget(raw: unknown): Promise<ReserveBudgetResult> {
      const parsed = reserveBudgetRequestSchema.safeParse(raw);
      if (!parsed.success) throw invalidInput(formatZodError(parsed.error));
      return callLedger(messageNames.reserveBudgetUpdate, 'reserve', parsed.data, reserveBudgetResultSchema);
    },
    /** Settles a call's real usage and releases its reservation, once per key. */
    async settleBudget(raw: unknown): Promise<SettleBudgetResult> {
      const parsed = settleBudgetRequestSchema.safeParse(raw);
      if (!parsed.success) throw invalidInput(formatZodError(parsed.error));
      return callLedger(messageNames.settleBudgetUpdate, 'settle', parsed.data, settleBudgetResultSchema);
    },
  };
}

/** The activity interface of the budget steps (imported as a type only). */
export type BudgetActivities = ReturnType<typeof createBudgetActivities>;
