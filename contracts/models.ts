import { z } from 'zod';
import { identifierSchema } from './ids';
import { latencyClassSchema, modelTierSchema } from './model-catalog';
import { citationSchema, scoredChunkSchema } from './retrieval';

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** Why a model stopped: normalised across providers. */
export const finishReasonSchema = z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'other']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

export const tokenUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** The question and passages a grounded prompt was built from; the extractive fallback answers from them. */
export const groundingSchema = z.object({
  question: z.string(),
  passages: z.array(scoredChunkSchema),
});
export type Grounding = z.infer<typeof groundingSchema>;

/** Who a call is for; every cost record carries these tags. */
export const callTagsSchema = z.object({
  tenant: identifierSchema,
  feature: identifierSchema,
  promptVersion: z.string().min(1).max(64),
});
export type CallTags = z.infer<typeof callTagsSchema>;

/** Input of the `callModel` activity (no secrets: the worker resolves keys from its environment). */
export const modelCallInputSchema = z.object({
  modelId: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  maxOutputTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  /** Stream the response and heartbeat on every chunk (long generations). @default true */
  stream: z.boolean().default(true),
  /** The tenant's published contacts: the stream window releases them as written. */
  publicValues: z.array(z.string()).optional(),
  tags: callTagsSchema,
});
export type ModelCallInput = z.infer<typeof modelCallInputSchema>;
export type ModelCallInputRaw = z.input<typeof modelCallInputSchema>;

/** What one successful model call returns. */
export const modelCallResultSchema = z.object({
  text: z.string(),
  modelId: z.string(),
  /** Model name the provider reported. */
  providerModel: z.string(),
  finishReason: finishReasonSchema,
  usage: tokenUsageSchema,
  /** Input tokens counted before the call (tokenizer), for budget reservation. */
  estimatedInputTokens: z.number().int().nonnegative(),
  costMicroUsd: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  /** Temporal attempt number that succeeded (1 = first try). */
  attempt: z.number().int().positive(),
  /**
   * Milliseconds the succeeding attempt waited in its task queue before a worker started it
   * (queue rate limit, busy or absent workers). Optional: workers before this field sent none.
   */
  queueWaitMs: z.number().nonnegative().optional(),
});
export type ModelCallResult = z.infer<typeof modelCallResultSchema>;

/** How the router chose, recorded in the result and the workflow history. */
export const routingDecisionSchema = z.object({
  route: z.string(),
  strategy: z.enum(['explicit', 'semantic', 'default']),
  /** Cosine similarity of the best example when the strategy is semantic. */
  similarity: z.number().optional(),
  complexity: z.number().min(0).max(1),
  tier: modelTierSchema,
  /** Models left out of the chain and why (context window, cost ceiling, latency class). */
  excluded: z.array(z.object({ modelId: z.string(), reason: z.string() })),
  chain: z.array(z.string()),
});
export type RoutingDecision = z.infer<typeof routingDecisionSchema>;

/** One model in a planned chain, with everything the workflow needs to call it. */
export const plannedModelSchema = z.object({
  modelId: z.string(),
  provider: z.string(),
  taskQueue: z.string(),
  estimatedInputTokens: z.number().int().nonnegative(),
  /** The output allowance; absent in plans recorded before budgets reserved tokens. */
  estimatedOutputTokens: z.number().int().nonnegative().optional(),
  /** Reservation: estimated input plus the full output allowance, priced. */
  estimatedCostMicroUsd: z.number().int().nonnegative(),
  startToCloseMs: z.number().int().positive(),
  /**
   * Schedule-to-start of one attempt: how long it may wait for a worker before the model is given
   * up. Optional: plans recorded before this field fall back to `startToCloseMs`.
   */
  scheduleToStartMs: z.number().int().positive().optional(),
  heartbeatMs: z.number().int().positive(),
  retry: z.object({
    initialIntervalMs: z.number(),
    backoffCoefficient: z.number(),
    maximumIntervalMs: z.number(),
    maximumAttempts: z.number().int(),
  }),
});
export type PlannedModel = z.infer<typeof plannedModelSchema>;

export const modelPlanSchema = z.object({
  decision: routingDecisionSchema,
  candidates: z.array(plannedModelSchema),
  /** True when the route's choice is the offline extractive model itself (not a degradation). */
  extractiveByChoice: z.boolean(),
});
export type ModelPlan = z.infer<typeof modelPlanSchema>;

/** Input of `planModelRoute`: the request's routing hints. */
export const routingRequestSchema = z.object({
  messages: z.array(chatMessageSchema).min(1),
  maxOutputTokens: z.number().int().positive().optional(),
  /** Force a route by name. */
  route: z.string().optional(),
  tierHint: modelTierSchema.optional(),
  /** Intent label from the input gates, e.g. `lookup`, `analysis`. */
  intent: z.string().optional(),
  /** Most the call may cost, in micro-dollars. */
  maxCostMicroUsd: z.number().int().positive().optional(),
  latencyClass: latencyClassSchema.optional(),
});
export type RoutingRequest = z.infer<typeof routingRequestSchema>;

/** Outcome of trying one model in the chain. */
export const modelAttemptSchema = z.object({
  modelId: z.string(),
  taskQueue: z.string(),
  /** `queue_timeout`: no worker started the call within the schedule-to-start timeout (queue backlog or no workers). */
  outcome: z.enum(['succeeded', 'failed', 'skipped', 'queue_timeout']),
  /** Temporal attempts made on this model. */
  attempts: z.number().int().nonnegative(),
  /** Milliseconds the last attempt that reached a worker had waited in the task queue. */
  queueWaitMs: z.number().nonnegative().optional(),
  errorType: z.string().optional(),
  message: z.string().optional(),
});
export type ModelAttempt = z.infer<typeof modelAttemptSchema>;

/** Input of `generateWorkflow`. */
export const generateRequestSchema = routingRequestSchema.extend({
  tenant: identifierSchema,
  requestId: identifierSchema,
  feature: identifierSchema.default('generate'),
  promptVersion: z.string().min(1).max(64).default('v0'),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().default(true),
  /** Passages for the extractive fallback; without them a fully degraded call returns no text. */
  grounding: groundingSchema.optional(),
});
export type GenerateRequest = z.infer<typeof generateRequestSchema>;
export type GenerateRequestInput = z.input<typeof generateRequestSchema>;

export const generateResultSchema = z.object({
  status: z.enum(['answered', 'degraded']),
  text: z.string(),
  /** Present when the extractive model answered. */
  citations: z.array(citationSchema),
  /** Model that answered. */
  model: z.string(),
  finishReason: finishReasonSchema,
  degraded: z.boolean(),
  usage: tokenUsageSchema,
  costMicroUsd: z.number().int().nonnegative(),
  attempts: z.array(modelAttemptSchema),
  /** Models given up on before one answered. */
  fallbacks: z.number().int().nonnegative(),
  routing: routingDecisionSchema,
});
export type GenerateResult = z.infer<typeof generateResultSchema>;
