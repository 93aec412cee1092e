import { z } from 'zod';
import { identifierSchema } from './ids';

// Per-tenant budgets: limits per tenant and per feature, in tokens and micro-dollars per period.
// A request reserves its estimate before a model call and settles its real usage after; both
// carry an idempotency key, so a retried or repeated call is counted once.

/** Periods a budget may run over; each rolls over at its UTC calendar boundary. */
export const budgetPeriods = ['hour', 'day', 'month'] as const;
export const budgetPeriodSchema = z.enum(budgetPeriods);
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;

/** Larger than any real budget (a billion dollars in micro-dollars): a bigger one is a typo. */
export const maxBudgetAmount = 1e15;

/** A limit or estimate: a whole number, never negative, never absurd. */
const amountSchema = z.number({ error: 'must be a number' })
  .int('must be a whole number')
  .nonnegative('must not be negative')
  .max(maxBudgetAmount, `must be at most ${maxBudgetAmount}`);

/** A limit: a whole number greater than 0 (no limit at all is written by leaving the field out). */
const limitSchema = amountSchema.refine((value) => value !== 0, 'must be greater than 0');

/** One scope's limit: at least one of tokens and money, per period. */
export const budgetLimitSchema = z.strictObject({
  period: budgetPeriodSchema,
  /** Most tokens (prompt + completion) the scope may use per period. */
  maxTokens: limitSchema.optional(),
  /** Most money the scope may spend per period, in millionths of a US dollar. */
  maxMicroUsd: limitSchema.optional(),
}).refine((limit) => limit.maxTokens !== undefined || limit.maxMicroUsd !== undefined, {
  message: 'set maxTokens, maxMicroUsd or both',
});
export type BudgetLimit = z.infer<typeof budgetLimitSchema>;

/** A tenant's budget: a limit on the whole tenant, and limits per feature (`qa`, `summarise`…). */
export const budgetLimitsSchema = z.strictObject({
  tenant: budgetLimitSchema.optional(),
  features: z.record(identifierSchema, budgetLimitSchema).default({}),
});
export type BudgetLimits = z.infer<typeof budgetLimitsSchema>;
export type BudgetLimitsInput = z.input<typeof budgetLimitsSchema>;

/**
 * Input of the `setBudget` update. `merge` (the default) replaces the tenant limit when one is
 * given and the named features' limits, keeping the others; `replace` sets the whole budget.
 */
export const setBudgetRequestSchema = z.strictObject({
  tenant: identifierSchema,
  limits: budgetLimitsSchema,
  mode: z.enum(['merge', 'replace']).default('merge'),
});
export type SetBudgetRequest = z.infer<typeof setBudgetRequestSchema>;
export type SetBudgetRequestInput = z.input<typeof setBudgetRequestSchema>;

/** Input of `reserveBudget`: what a call is expected to use, under a key that identifies the call. */
export const reserveBudgetRequestSchema = z.strictObject({
  tenant: identifierSchema,
  feature: identifierSchema,
  /** Idempotency key of the call (e.g. workflow id + step); a repeat returns the first decision. */
  key: identifierSchema,
  estimateTokens: amountSchema,
  estimateMicroUsd: amountSchema,
});
export type ReserveBudgetRequest = z.infer<typeof reserveBudgetRequestSchema>;

/** Input of `settleBudget`: what the call reserved under `key` really used. */
export const settleBudgetRequestSchema = z.strictObject({
  tenant: identifierSchema,
  key: identifierSchema,
  usedTokens: amountSchema,
  usedMicroUsd: amountSchema,
  /** Feature charged when the reservation is no longer known (it expired); else the reservation's. */
  feature: identifierSchema.optional(),
});
export type SettleBudgetRequest = z.infer<typeof settleBudgetRequestSchema>;

/** What is left of one scope in its current period, after reservations; absent fields have no limit. */
export const budgetRemainingSchema = z.object({
  /** `tenant`, or `feature:<name>`. */
  scope: z.string(),
  period: budgetPeriodSchema,
  tokens: z.number().int().optional(),
  microUsd: z.number().int().optional(),
});
export type BudgetRemaining = z.infer<typeof budgetRemainingSchema>;

/** Answer of `reserveBudget`. A refusal's reason names the scope and what is left of it. */
export const reserveBudgetResultSchema = z.object({
  key: z.string(),
  granted: z.boolean(),
  reason: z.string().optional(),
  /** The scopes with a limit that apply to the call, as they stood after this decision. */
  remaining: z.array(budgetRemainingSchema),
  /** True when the key had been seen: this is the first decision, returned again. */
  duplicate: z.boolean(),
});
export type ReserveBudgetResult = z.infer<typeof reserveBudgetResultSchema>;

/** Answer of `settleBudget`. */
export const settleBudgetResultSchema = z.object({
  key: z.string(),
  /** Whether a live reservation under the key was released (false when it was unknown or had expired). */
  released: z.boolean(),
  /** True when the key had already been settled: nothing was counted this time. */
  duplicate: z.boolean(),
  remaining: z.array(budgetRemainingSchema),
});
export type SettleBudgetResult = z.infer<typeof settleBudgetResultSchema>;

/** Usage and reservations of one scope in the current period of each of its limits. */
export const budgetScopeViewSchema = z.object({
  scope: z.string(),
  limit: budgetLimitSchema.optional(),
  /** Start of the current period (ISO), of the limit's period; `day` when the scope has no limit. */
  periodStart: z.string(),
  period: budgetPeriodSchema,
  usedTokens: z.number().int(),
  usedMicroUsd: z.number().int(),
  reservedTokens: z.number().int(),
  reservedMicroUsd: z.number().int(),
});
export type BudgetScopeView = z.infer<typeof budgetScopeViewSchema>;

/**
 * Argument of the budget query. A query cannot move workflow time, which stands at the ledger's last
 * update: a ledger untouched since yesterday would show yesterday's usage as today's. The caller says
 * what time it is; the view is taken at the later of the two.
 */
export const budgetViewRequestSchema = z.object({ asOfMs: z.number().int().nonnegative() });
export type BudgetViewRequest = z.infer<typeof budgetViewRequestSchema>;

/** What `sluice budget show` prints: the limits, and each scope's usage and reservations. */
export const budgetViewSchema = z.object({
  tenant: z.string(),
  limits: budgetLimitsSchema,
  scopes: z.array(budgetScopeViewSchema),
  /** Reservations neither settled nor expired. */
  openReservations: z.number().int(),
  /** ISO time of the view (workflow time). */
  asOf: z.string(),
});
export type BudgetView = z.infer<typeof budgetViewSchema>;

/** Micro-dollars as dollars, e.g. `$1.50` (and `$0.000123` below a cent). */
export function formatMicroUsd(microUsd: number): string {
  const dollars = microUsd / 1e6;
  return `$${Number.isInteger(dollars * 100) ? dollars.toFixed(2) : String(dollars)}`;
}

/** Failure type of a call refused for want of budget (when a route's policy is to reject). */
export const budgetExceededErrorType = 'BudgetExceeded';

/** Usage of one scope in one period, from `start` (epoch ms of the period's start). */
const usageWindowSchema = z.object({ start: z.number(), tokens: z.number(), microUsd: z.number() });

/** A granted reservation not yet settled; it expires `reservationTtlMs` after `at`. */
const openReservationSchema = z.object({
  feature: z.string(),
  estimateTokens: z.number(),
  estimateMicroUsd: z.number(),
  /** Epoch ms (workflow time) the reservation was granted. */
  at: z.number(),
  result: reserveBudgetResultSchema,
});

/**
 * A key the ledger has decided, remembered so a repeat is answered, not applied again. Kept small (the
 * decision, not the whole reply) because thousands travel through every continue-as-new; a repeat is
 * answered with the first decision and what is left now.
 */
const rememberedKeySchema = z.object({
  /** Epoch ms (workflow time) of the last decision on the key. */
  at: z.number(),
  feature: z.string().optional(),
  /** The reservation's decision, when the key was reserved. */
  granted: z.boolean().optional(),
  reason: z.string().optional(),
  /** Set once the key is settled: whether a live reservation was released. */
  released: z.boolean().optional(),
  /** Replies kept whole by ledgers before keys were compacted; read once and compacted. */
  reserve: reserveBudgetResultSchema.optional(),
  settle: settleBudgetResultSchema.optional(),
  /** The reservation expired before it was settled. */
  expired: z.boolean().optional(),
});
export type RememberedKey = z.infer<typeof rememberedKeySchema>;

/** Everything a budget ledger carries across continue-as-new. */
export const budgetLedgerStateSchema = z.object({
  limits: budgetLimitsSchema,
  /** Usage per scope (`tenant`, `feature:<name>`) per period. */
  usage: z.record(z.string(), z.partialRecord(budgetPeriodSchema, usageWindowSchema)),
  reservations: z.record(z.string(), openReservationSchema),
  keys: z.record(z.string(), rememberedKeySchema),
});
export type BudgetLedgerState = z.infer<typeof budgetLedgerStateSchema>;

/** Input of budgetWorkflow: its tenant, bounds (tests make them small), and state after continue-as-new. */
export const budgetLedgerInputSchema = z.strictObject({
  tenant: identifierSchema,
  /** How long a reservation never settled holds budget. @default 1 hour */
  reservationTtlMs: z.number().int().positive().max(7 * 24 * 3_600_000).default(3_600_000),
  /**
   * Length of a key generation: decided keys are remembered for the current and the previous one,
   * so between one and two of these. Must outlast the reservation TTL and any activity retry.
   * @default 2 hours
   */
  keyMemoryMs: z.number().int().positive().max(31 * 24 * 3_600_000).default(2 * 3_600_000),
  /**
   * Most decided keys remembered: past it the oldest are forgotten first (never an open reservation), so the
   * state continue-as-new carries stays under Temporal's 512 KB payload warning (about 120 bytes a key) and
   * far from its 2 MB limit. 4,000 keys cover the 5-minute retry window of a reserve or settle activity at
   * 13 calls a second; beyond that a retry of an older call is still answered once within a run by the
   * server's update-id deduplication, but not across a continue-as-new. @default 4000
   */
  maxRememberedKeys: z.number().int().min(10).max(15_000).default(4_000),
  /**
   * History length after which the ledger continues as new (besides the server's suggestion). Each update
   * adds at least two events, and the server refuses a run's updates past `history.maxTotalUpdates`
   * (2000 by default), so 2500 events keep a run well under it. @default 2500
   */
  maxHistoryLength: z.number().int().min(10).max(50_000).default(2_500),
  state: budgetLedgerStateSchema.optional(),
});
export type BudgetLedgerInput = z.infer<typeof budgetLedgerInputSchema>;
export type BudgetLedgerInputFields = z.input<typeof budgetLedgerInputSchema>;
