import { z } from 'zod';
import { durationSchema } from './duration';
import { identifierSchema } from './ids';
import { citationSchema, scoredChunkSchema } from './retrieval';

/**
 * A route's answer cache (catalog `routes.<name>.cache`). Entries are scoped to the tenant, the pinned
 * prompt version and variant, the route and the catalog version, so a prompt or model change never
 * serves an answer built by the old one.
 */
export const answerCachePolicySchema = z.object({
  /** Reuse the answer to the same question (normalised) over the same retrieved passages. */
  exact: z.boolean().default(true),
  /** Reuse the answer to a paraphrase whose cited passages are still retrieved unchanged. */
  semantic: z.boolean().default(true),
  /** How long an entry may be served, e.g. "1h", "7d". @default 1 day */
  ttl: durationSchema.default(86_400_000),
  /** Paraphrase score an entry must reach (activities/cache/paraphrase-match.ts); absent: its default. */
  minScore: z.number().min(0).max(1).optional(),
});
export type AnswerCachePolicy = z.infer<typeof answerCachePolicySchema>;

/** The policy as a run pins it (answer plan, activity inputs): the TTL already in milliseconds. */
export const pinnedAnswerCachePolicySchema = z.object({
  exact: z.boolean(),
  semantic: z.boolean(),
  ttlMs: z.number().int().positive(),
  minScore: z.number().min(0).max(1).optional(),
});
export type PinnedAnswerCachePolicy = z.infer<typeof pinnedAnswerCachePolicySchema>;

/** A route's policy in its pinned form. */
export function pinAnswerCachePolicy(policy: AnswerCachePolicy): PinnedAnswerCachePolicy {
  const { ttl, ...rest } = policy;
  return { ...rest, ttlMs: ttl };
}

/** What a cached answer was built by: entries of another scope are never served. */
export const answerCacheScopeSchema = z.object({
  promptId: z.string(),
  promptVersion: z.string(),
  variant: z.string(),
  route: z.string(),
  catalogVersion: z.string(),
});
export type AnswerCacheScope = z.infer<typeof answerCacheScopeSchema>;

/** What both cache activities are told about the run: whose, which question, in which scope, over which passages. */
const cacheRunSchema = z.object({
  tenant: identifierSchema,
  /** The question as the model would see it (after the input gates). */
  question: z.string(),
  scope: answerCacheScopeSchema,
  /** The passages retrieved for this question, in prompt order ([1] is the first). */
  passages: z.array(scoredChunkSchema),
  policy: pinnedAnswerCachePolicySchema,
});

/** Input of the `lookupCachedAnswer` activity. */
export const cacheLookupRequestSchema = cacheRunSchema;
export type CacheLookupRequest = z.input<typeof cacheLookupRequestSchema>;

export const cacheHitKindSchema = z.enum(['exact', 'semantic']);
export type CacheHitKind = z.infer<typeof cacheHitKindSchema>;

/** Where a served answer came from. */
const cacheProvenanceSchema = z.object({
  /** The earlier question it answered, and how alike the two are (1 for an exact hit). */
  cachedQuestion: z.string(),
  score: z.number(),
  /** The run that generated it, and when it was stored (ISO). */
  sourceWorkflowId: z.string(),
  storedAt: z.string(),
  /** Tokens the original generation paid, i.e. what this hit saved. */
  savedTokens: z.number().int().nonnegative(),
});

/** A served entry: the answer with its citation markers renumbered to this run's passages. */
export const cachedAnswerSchema = cacheProvenanceSchema.extend({
  kind: cacheHitKindSchema,
  text: z.string(),
  citations: z.array(citationSchema),
  /** Model that generated the answer originally. */
  model: z.string(),
});
export type CachedAnswer = z.infer<typeof cachedAnswerSchema>;

export const cacheLookupResultSchema = z.object({
  hit: cachedAnswerSchema.optional(),
  /** Why the nearest candidates were not served (expired, other passages, vetoed paraphrase…), for the UI. */
  misses: z.array(z.string()),
});
export type CacheLookupResult = z.infer<typeof cacheLookupResultSchema>;

/** Input of the `storeCachedAnswer` activity: a released answer of this run. */
export const cacheStoreRequestSchema = cacheRunSchema.extend({
  text: z.string().min(1),
  citations: z.array(citationSchema),
  model: z.string(),
  workflowId: z.string(),
  /** Tokens the generation paid (prompt + completion). */
  paidTokens: z.number().int().nonnegative(),
});
export type CacheStoreRequest = z.input<typeof cacheStoreRequestSchema>;

/** How the result of a run was served: present only when an answer came from the cache. */
export const answerCacheRecordSchema = cacheProvenanceSchema.extend({ hit: cacheHitKindSchema });
export type AnswerCacheRecord = z.infer<typeof answerCacheRecordSchema>;
