import { z } from 'zod';
import { formatZodError } from './format-error';
import { piiTypeSchema } from './gates';
import { identifierSchema } from './ids';

// Gate configuration per tenant and feature: which gates run, their thresholds, what each
// decision does, and what happens when a gate itself fails. Strict objects, so a misspelt key
// stops the worker at start-up instead of silently disabling a gate.

const unit = z.number().min(0).max(1);

/**
 * What a gate's failure (an exception or a timeout) turns into. `closed` (the default) blocks or
 * sends to review; `open` allows and records the decision as unchecked.
 */
export const failurePolicySchema = z.strictObject({
  mode: z.enum(['closed', 'open']).default('closed'),
  /** The action of a failed gate when `mode` is `closed`. */
  closedAction: z.enum(['block', 'review']).default('block'),
  /** Time budget of one gate in milliseconds; a slower gate counts as failed. @default 2000 */
  timeoutMs: z.number().int().positive().max(60_000).default(2_000),
});
export type FailurePolicy = z.infer<typeof failurePolicySchema>;

const failure = failurePolicySchema.default({ mode: 'closed', closedAction: 'block', timeoutMs: 2_000 });
const flaggedAction = z.enum(['block', 'review', 'redact']);

/** Prompt injection and jailbreak detection; score ≥ blockThreshold blocks, ≥ reviewThreshold reviews. */
export const injectionGateConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  reviewThreshold: unit.default(0.5),
  blockThreshold: unit.default(0.75),
  failure,
}).refine((config) => config.reviewThreshold <= config.blockThreshold, 'reviewThreshold must not exceed blockThreshold');

/** PII detection on the way in; `redact` replaces values with placeholders the model sees instead. */
export const piiGateConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** `LOCATION` and `ORGANIZATION` are optional: a question about a place or a firm usually needs it. */
  types: z.array(piiTypeSchema).default(['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS', 'SECRET', 'PERSON']),
  action: flaggedAction.default('redact'),
  /** Region used to read phone numbers written without a country code (ISO 3166 alpha-2). */
  defaultRegion: z.string().length(2).default('US'),
  failure,
});

/** A topic of conversation, recognised by its keywords (whole words, case-insensitive). */
export const topicSchema = z.strictObject({ name: identifierSchema, keywords: z.array(z.string().min(2)).min(1) });

/** Allowed and denied topics per tenant and feature, and the intent label the router reads. */
export const policyGateConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  topics: z.array(topicSchema).default([]),
  /** When not empty, only these topics (and `general`) are allowed. */
  allowedTopics: z.array(identifierSchema).default([]),
  deniedTopics: z.array(identifierSchema).default([]),
  deniedAction: z.enum(['block', 'review']).default('block'),
  failure,
});

/** One published contact; a short value would match too much ("@com", a four-digit number). */
const publicValueSchema = z.string().trim()
  .refine((value) => value.replace(/[^\p{L}\p{N}]/gu, '').length >= 5, 'must hold at least 5 letters or digits')
  .refine((value) => !/^@[^.]*$/.test(value), 'a domain needs a dot (e.g. "@acme.example")');

/** Output scan for PII in the answer, including PII that was never in the input. */
export const piiLeakGateConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  types: z.array(piiTypeSchema).default(['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS', 'SECRET']),
  action: flaggedAction.default('redact'),
  defaultRegion: z.string().length(2).default('US'),
  /**
   * Contacts the tenant publishes, never redacted from passages, answers or streams: an address
   * ("billing@acme.example"), a number ("+1 800 555 0100", matched by its digits) or "@acme.example"
   * for every address at that domain.
   */
  publicValues: z.array(publicValueSchema).max(200, 'at most 200 values').default([]),
  failure,
});

/** Each claim (sentence) of the answer must be supported by the passages it cites. */
export const groundednessGateConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Share of a claim's content words found in its cited passages for it to count as supported. */
  claimSupport: unit.default(0.5),
  /** Share of supported claims below which the action applies. */
  minScore: unit.default(0.6),
  action: z.enum(['block', 'review']).default('review'),
  failure,
});

/** Structured-output validation against a zod schema registered on the worker under `schema`. */
export const schemaGateConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  schema: z.string().min(1).default('none'),
  /** Deterministic repair steps tried before the answer counts as invalid. */
  maxRepairs: z.number().int().min(0).max(3).default(1),
  action: z.enum(['block', 'review']).default('block'),
  failure,
});

/** Safety / toxicity check on the answer. */
export const safetyGateConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  reviewThreshold: unit.default(0.5),
  blockThreshold: unit.default(0.85),
  failure,
}).refine((config) => config.reviewThreshold <= config.blockThreshold, 'reviewThreshold must not exceed blockThreshold');

/** The resolved gate set of one tenant and feature. */
export const gateSetConfigSchema = z.strictObject({
  input: z.strictObject({
    injection: injectionGateConfigSchema.default(() => injectionGateConfigSchema.parse({})),
    pii: piiGateConfigSchema.default(() => piiGateConfigSchema.parse({})),
    policy: policyGateConfigSchema.default(() => policyGateConfigSchema.parse({})),
  }).default(() => ({ injection: injectionGateConfigSchema.parse({}), pii: piiGateConfigSchema.parse({}), policy: policyGateConfigSchema.parse({}) })),
  output: z.strictObject({
    piiLeak: piiLeakGateConfigSchema.default(() => piiLeakGateConfigSchema.parse({})),
    groundedness: groundednessGateConfigSchema.default(() => groundednessGateConfigSchema.parse({})),
    schema: schemaGateConfigSchema.default(() => schemaGateConfigSchema.parse({})),
    safety: safetyGateConfigSchema.default(() => safetyGateConfigSchema.parse({})),
  }).default(() => ({
    piiLeak: piiLeakGateConfigSchema.parse({}), groundedness: groundednessGateConfigSchema.parse({}),
    schema: schemaGateConfigSchema.parse({}), safety: safetyGateConfigSchema.parse({}),
  })),
});
export type GateSetConfig = z.infer<typeof gateSetConfigSchema>;
/** A gate set as written in a config file, before defaults. */
export type GateSetConfigInput = z.input<typeof gateSetConfigSchema>;

const plainObject = z.record(z.string(), z.unknown());

/**
 * The whole gate configuration. `defaults` apply everywhere; each override is a partial gate set
 * deep-merged on top for a tenant, a feature, or both (more specific overrides win).
 */
export const gateConfigSchema = z.strictObject({
  defaults: plainObject.default({}),
  overrides: z.array(z.strictObject({ tenant: identifierSchema.optional(), feature: identifierSchema.optional(), gates: plainObject })).default([]),
});
export type GateConfigInput = z.input<typeof gateConfigSchema>;

/** Thrown when a gate configuration is invalid; the message names the override and field. */
export class GateConfigError extends Error {
  override readonly name = 'GateConfigError';
}

type PlainObject = Record<string, unknown>;
const isPlainObject = (value: unknown): value is PlainObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep merge of config objects; arrays and scalars of `patch` replace those of `base`. */
export function mergeConfig(base: PlainObject, patch: PlainObject): PlainObject {
  const merged: PlainObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : value;
  }
  return merged;
}

/** A validated gate configuration that resolves the gate set of any tenant and feature. */
export class GateConfig {
  private readonly cache = new Map<string, GateSetConfig>();
  private readonly config: z.infer<typeof gateConfigSchema>;

  /** Parses and validates every override (alone and combined) so errors surface at start-up. */
  constructor(input: unknown = {}) {
    const parsed = gateConfigSchema.safeParse(input);
    if (!parsed.success) throw new GateConfigError(`invalid gate config: ${formatZodError(parsed.error)}`);
    this.config = parsed.data;
    this.resolve('*', '*');
    for (const override of this.config.overrides) {
      for (const other of this.config.overrides) this.resolve(override.tenant ?? other.tenant ?? '*', override.feature ?? other.feature ?? '*');
    }
  }

  /** The gate set for a tenant and feature: defaults, then tenant-only, feature-only, then both. */
  resolve(tenant: string, feature: string): GateSetConfig {
    const key = `${tenant}\u0000${feature}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const specificity = (override: { tenant?: string; feature?: string }) => (override.tenant ? 2 : 0) + (override.feature ? 1 : 0);
    const matching = this.config.overrides
      .filter((override) => (!override.tenant || override.tenant === tenant) && (!override.feature || override.feature === feature))
      .sort((left, right) => specificity(left) - specificity(right));
    const raw = matching.reduce((merged, override) => mergeConfig(merged, override.gates), this.config.defaults);
    const parsed = gateSetConfigSchema.safeParse(raw);
    if (!parsed.success) throw new GateConfigError(`invalid gate config for tenant ${tenant}, feature ${feature}: ${formatZodError(parsed.error)}`);
    this.cache.set(key, parsed.data);
    return parsed.data;
  }
}

/** Default selection of a backtest: completed answer executions. */
export const defaultBacktestQuery = "WorkflowType='answerWorkflow' AND ExecutionStatus='Completed'";

/** Input of backtestGatesWorkflow: a candidate gate config and which past executions to judge it on. */
export const backtestRequestSchema = z.strictObject({
  /** Same shape as the worker's gate config; validated in full by the backtest activity. */
  candidateConfig: gateConfigSchema,
  /** Temporal visibility query selecting the executions. */
  query: z.string().min(1).default(defaultBacktestQuery),
  pageSize: z.number().int().min(1).max(500).default(50),
  /** Stop after this many executions. */
  maxExecutions: z.number().int().min(1).max(100_000).default(1_000),
  /** At most this many individual changes are listed in the report (all are counted). */
  maxChangesListed: z.number().int().min(0).max(10_000).default(200),
});
export type BacktestRequest = z.infer<typeof backtestRequestSchema>;
export type BacktestRequestInput = z.input<typeof backtestRequestSchema>;

/** One gate decision that the candidate config would change. */
export const backtestChangeSchema = z.object({
  workflowId: z.string(),
  stage: z.enum(['input', 'output']),
  gate: z.string(),
  before: z.string(),
  after: z.string(),
  reasons: z.array(z.string()),
});
export type BacktestChange = z.infer<typeof backtestChangeSchema>;

/** What a backtest reports: how many executions it judged and which decisions would change. */
export const backtestReportSchema = z.object({
  examined: z.number().int(),
  unreadable: z.number().int(),
  /** Executions whose overall input or output action would change. */
  changedExecutions: z.number().int(),
  /** Counts per gate of each transition, e.g. { 'prompt-injection': { 'allow→block': 3 } }. */
  transitions: z.record(z.string(), z.record(z.string(), z.number().int())),
  changes: z.array(backtestChangeSchema),
  /** True when more changes were found than listed. */
  truncated: z.boolean(),
});
export type BacktestReport = z.infer<typeof backtestReportSchema>;
