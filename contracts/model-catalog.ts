import { z } from 'zod';
import { identifierSchema } from './ids';
import { overBudgetPolicySchema } from './budget-policy';
import { answerCachePolicySchema } from './cache';
import { refinePolicySchema } from './refinement';
import {
  contextPolicySchema, passagePiiPolicySchema, rerankPolicySchema, retrievalQueryPolicySchema,
} from './retrieval';
import { anyReviewer, reviewerGroupMembersSchema, reviewPolicySchema } from './review';
import { gpuTaskQueue, llmTaskQueue, taskQueues } from './task-queues';

// The model catalog: which models exist, who serves them, what they cost and which queue
// their calls run on. Validated once where it is loaded; API keys are never in it, only the
// *name* of the environment variable that holds each key.

export const modelTierSchema = z.enum(['small', 'medium', 'large']);
export type ModelTier = z.infer<typeof modelTierSchema>;

/** How quickly a model answers; a request may ask for `fast` only. */
export const latencyClassSchema = z.enum(['fast', 'standard', 'slow']);
export type LatencyClass = z.infer<typeof latencyClassSchema>;

/** Wire protocol of a provider. `openai-compatible` covers vLLM, TGI, Ollama, llama.cpp server. */
export const providerKindSchema = z.enum(['openai', 'anthropic', 'openai-compatible']);
export type ProviderKind = z.infer<typeof providerKindSchema>;

/** Name of the built-in offline provider; it needs no entry under `providers`. */
export const extractiveProvider = 'extractive';

const nameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-"');

export const breakerSettingsSchema = z.object({
  /** Sliding window over which the failure rate is measured. */
  windowMs: z.number().int().positive().default(30_000),
  /** Requests in the window before the rate is trusted (a request counts once however often it is retried). */
  minimumCalls: z.number().int().positive().default(5),
  /** Failure rate in [0, 1] that opens the circuit. */
  failureRate: z.number().min(0).max(1).default(0.5),
  /** How long the circuit stays open before half-open probes are let through. */
  openMs: z.number().int().positive().default(30_000),
  /** Probe calls allowed at once while half-open; one success closes the circuit. */
  halfOpenProbes: z.number().int().positive().default(1),
});
export type BreakerSettings = z.infer<typeof breakerSettingsSchema>;

export const retrySettingsSchema = z.object({
  initialIntervalMs: z.number().int().positive().default(1_000),
  backoffCoefficient: z.number().min(1).default(2),
  maximumIntervalMs: z.number().int().positive().default(30_000),
  /** Attempts per model before the workflow falls back to the next one. */
  maximumAttempts: z.number().int().positive().default(4),
});
export type RetrySettings = z.infer<typeof retrySettingsSchema>;

export const providerSettingsSchema = z.object({
  kind: providerKindSchema,
  /** Required for `openai-compatible`; optional override for the others. */
  baseUrl: z.string().url().optional(),
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name').optional(),
  /**
   * The account's request limit at the provider (its published RPM for your tier). The queue's
   * server-side rate limit is derived from it (`requestsPerMinute / 60` per second, across every
   * worker of the queue), so the fleet paces itself below the provider's 429s. @default none
   */
  requestsPerMinute: z.number().positive().optional(),
  /**
   * Server-side rate limit of the provider's task queue, activities (attempts) per second; overrides
   * the one derived from `requestsPerMinute`. @default unlimited unless `requestsPerMinute` is set
   */
  activitiesPerSecond: z.number().positive().optional(),
  /**
   * Concurrent calls per worker process. A call is an I/O wait on a socket, not CPU work, so the
   * default is Temporal's own worker default. @default 100
   */
  maxConcurrent: z.number().int().positive().default(100),
  /** HTTP timeout of one request (and the stall limit between streamed chunks). */
  requestTimeoutMs: z.number().int().positive().default(60_000),
  /** Start-to-close timeout of one attempt: the whole generation, however long it streams. */
  callTimeoutMs: z.number().int().positive().default(120_000),
  /**
   * Schedule-to-start timeout of one attempt: how long a call may wait in the provider's queue (rate
   * limit, busy or absent workers) before this model is given up and the next in the chain tried.
   * Separate from `callTimeoutMs`: waiting for a worker and generating are different budgets.
   */
  queueTimeoutMs: z.number().int().positive().default(30_000),
  /** Heartbeat timeout of a call; a streaming call heartbeats on every chunk. */
  heartbeatTimeoutMs: z.number().int().positive().default(30_000),
  /**
   * How often a streaming call's gated text reaches callers of `askStream`: the worker's heartbeat
   * throttle (`maxHeartbeatThrottleInterval`). Lower is smoother and costs more heartbeat RPCs.
   */
  streamIntervalMs: z.number().int().min(50).max(30_000).default(250),
  /** Characters of a stream held back for the output PII check (activities/gates/output/stream-window.ts). */
  streamWindowCharacters: z.number().int().min(64).max(10_000).default(128),
  retry: retrySettingsSchema.prefault({}),
  breaker: breakerSettingsSchema.prefault({}),
  /** Served on GPU hosts next to the worker: calls go to `sluice-gpu-<model>` queues. */
  selfHosted: z.boolean().default(false),
  /** Continuous-batching capacity of the co-located server; sizes the GPU worker's concurrency. */
  batchCapacity: z.number().int().positive().optional(),
}).refine((provider) => provider.kind !== 'openai-compatible' || provider.baseUrl !== undefined, {
  message: 'openai-compatible providers need a baseUrl', path: ['baseUrl'],
});
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;

export const modelEntrySchema = z.object({
  id: nameSchema,
  /** Key under `providers`, or `extractive`. */
  provider: nameSchema,
  /** Model name sent to the provider's API. @default the id */
  providerModel: z.string().min(1).optional(),
  tier: modelTierSchema,
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive().default(1_024),
  inputPricePerMillionUsd: z.number().min(0).default(0),
  outputPricePerMillionUsd: z.number().min(0).default(0),
  latencyClass: latencyClassSchema.default('standard'),
  /** Tokenizer used to count tokens before a call. */
  tokenizer: z.enum(['o200k_base', 'cl100k_base']).default('cl100k_base'),
  /** Overrides the derived queue (`sluice-llm-<provider>` / `sluice-gpu-<model>`). */
  taskQueue: z.string().min(1).optional(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const routeSchema = z.object({
  /** Models tried in order; the extractive answer always follows the last. */
  chain: z.array(nameSchema).min(1),
  /** Example queries for semantic routing. */
  examples: z.array(z.string().min(1)).default([]),
  /** Who reviews the route's flagged answers, by when, and what the deadline does. */
  review: reviewPolicySchema.default(() => reviewPolicySchema.parse({})),
  /** How the route's drafts are judged and revised before release. */
  refine: refinePolicySchema.default(() => refinePolicySchema.parse({})),
  /**
   * PII in retrieved passages. `redact` (the default) removes it irreversibly, with the types of the
   * gate set's pii-leak gate, before passages reach history, the model and citations; `keep` is for
   * routes whose models and callers are inside the documents' trust boundary.
   */
  passagePii: passagePiiPolicySchema.default('redact'),
  /**
   * What retrieval searches with when the input PII gate redacted the question. `asked` (the default): the
   * user's own words, because the tenant's corpus and an in-process embedder are inside the trust boundary and
   * `[PERSON]` finds nothing; the model still sees only the redacted question. `redacted`: the placeholder text,
   * for stores or embedders outside that boundary. An embedding API always gets the redacted text.
   */
  retrievalQuery: retrievalQueryPolicySchema.default('asked'),
  /**
   * Rerank the retrieved candidates with the worker's reranker (the local cross-encoder npm install puts in
   * .tools/reranker, or SLUICE_RERANK_URL) before packing. `true`: every answer; on the RAG eval recall@1
   * 0.864 -> 0.908, for 130-180 ms per answer on 2 cores. `'uncertain'` (the default): only when the hybrid
   * ranking's top two are close, about 4 questions in 10 there, recall@1 0.923. A worker without a reranker
   * answers without it (and warns when the route asks for `true`).
   */
  rerank: rerankPolicySchema.default('uncertain'),
  /** Reuse of earlier answers to the same or a paraphrased question (contracts/cache.ts); absent: off. */
  cache: answerCachePolicySchema.optional(),
  /**
   * How much retrieved context the route's prompts carry (contracts/retrieval.ts): `maxPassages`,
   * `minRelativeScore`, `maxTokens` drop passages; `focusSentences` keeps each passage's sentences nearest the
   * question. Absent: every passage that fits the request's context budget, whole.
   */
  context: contextPolicySchema.optional(),
  /**
   * What a paid model call does when the tenant's or feature's budget cannot cover its estimate
   * (contracts/budget.ts): `reject` fails the run with BudgetExceeded; `downgrade` answers with the
   * offline extractive model, which costs nothing.
   */
  overBudget: overBudgetPolicySchema.default('reject'),
});
export type Route = z.infer<typeof routeSchema>;

export const modelCatalogSchema = z.object({
  providers: z.record(nameSchema, providerSettingsSchema).default({}),
  models: z.array(modelEntrySchema).min(1),
  routes: z.record(nameSchema, routeSchema),
  /** Reviewer groups routes name in `review.group`; `*` lets anyone who names themselves review. */
  reviewGroups: z.record(identifierSchema, reviewerGroupMembersSchema).default({ reviewers: [anyReviewer] }),
  /** Semantic routing picks a route only when its best example is at least this similar. */
  semanticMinSimilarity: z.number().min(-1).max(1).default(0.3),
}).superRefine((catalog, context) => {
  const ids = new Set<string>();
  catalog.models.forEach((model, index) => {
    if (ids.has(model.id)) {
      context.addIssue({ code: 'custom', path: ['models', index, 'id'], message: `duplicate model id ${model.id}` });
    }
    ids.add(model.id);
    if (model.provider !== extractiveProvider && !catalog.providers[model.provider]) {
      context.addIssue({
        code: 'custom', path: ['models', index, 'provider'], message: `unknown provider ${model.provider}`,
      });
    }
  });
  for (const [name, route] of Object.entries(catalog.routes)) {
    const groups = [
      route.review.group,
      route.review.onDeadline.action === 'escalate' ? route.review.onDeadline.group : undefined,
    ];
    groups.forEach((group, index) => {
      if (group !== undefined && !catalog.reviewGroups[group]) {
        const path = index === 0
          ? ['routes', name, 'review', 'group']
          : ['routes', name, 'review', 'onDeadline', 'group'];
        context.addIssue({ code: 'custom', path, message: `unknown reviewer group ${group}` });
      }
    });
    route.chain.forEach((id, index) => {
      if (!ids.has(id)) {
        context.addIssue({ code: 'custom', path: ['routes', name, 'chain', index], message: `unknown model ${id}` });
      }
    });
  }
  if (!catalog.routes.default) {
    context.addIssue({ code: 'custom', path: ['routes'], message: 'a "default" route is required' });
  }
});
export type ModelCatalog = z.infer<typeof modelCatalogSchema>;
export type ModelCatalogInput = z.input<typeof modelCatalogSchema>;

/** The one-machine default: only the offline extractive model. */
export const offlineCatalog: ModelCatalogInput = {
  models: [
    { id: 'extractive', provider: extractiveProvider, tier: 'small', contextWindow: 1_000_000, latencyClass: 'fast' },
  ],
  routes: {
    default: { chain: ['extractive'] },
    /** Every answer waits for a reviewer (anyone but the requester, offline) for up to a day. */
    reviewed: { chain: ['extractive'], review: { always: true } },
  },
};

/** The task queue a model's calls run on. */
export function modelTaskQueue(catalog: ModelCatalog, model: ModelEntry): string {
  if (model.taskQueue) return model.taskQueue;
  if (model.provider === extractiveProvider) return taskQueues.orchestration;
  return catalog.providers[model.provider]?.selfHosted ? gpuTaskQueue(model.id) : llmTaskQueue(model.provider);
}

/** How a provider's queue is throttled: the server-side rate across all its workers, and per-process concurrency. */
export interface ProviderQueueLimits {
  /** `maxTaskQueueActivitiesPerSecond`; undefined leaves the queue unthrottled (the provider's 429s pace it). */
  activitiesPerSecond: number | undefined;
  maxConcurrent: number;
}

/**
 * The queue limits for a provider, from its stated limits: an explicit `activitiesPerSecond`, else
 * `requestsPerMinute / 60`, else no server-side cap (no hidden bottleneck below the provider's own
 * limit). Self-hosted servers take their batch capacity as concurrency.
 */
export function providerQueueLimits(settings: ProviderSettings, batchCapacityOverride?: number): ProviderQueueLimits {
  const derived = settings.requestsPerMinute === undefined ? undefined : settings.requestsPerMinute / 60;
  const maxConcurrent = settings.selfHosted
    ? batchCapacityOverride ?? settings.batchCapacity ?? settings.maxConcurrent
    : settings.maxConcurrent;
  return { activitiesPerSecond: settings.activitiesPerSecond ?? derived, maxConcurrent };
}

export function findModel(catalog: ModelCatalog, id: string): ModelEntry | undefined {
  return catalog.models.find((model) => model.id === id);
}
