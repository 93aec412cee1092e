import { patched, proxyLocalActivities } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { AnswerCacheRecord, AnswerCacheScope, CachedAnswer } from '../contracts/cache';
import type { Citation, ScoredChunk } from '../contracts/retrieval';
import type { AnswerPlan, PinnedVersions } from '../contracts/prompts';
import { cacheLocalPreset } from './activity-presets';
import { countCacheLookup } from './workflow-metrics';

// The answer cache as the answer workflow uses it: a lookup after retrieval (a hit skips generation
// and refinement; the output gates still run) and a store once an answer is released.

/** Marks runs that consult the answer cache; runs pinned without a cache policy never do. */
export const answerCachePatch = 'sluice-answer-cache-v1';

const cache = proxyLocalActivities<SluiceActivities>({ ...cacheLocalPreset, summary: 'answer cache' });

/** What a run may use the cache for: its plan's policy, its scope, and the question as gated. */
export interface CacheContext {
  tenant: string;
  plan: AnswerPlan;
  pinned: PinnedVersions;
  question: string;
  passages: ScoredChunk[];
  /**
   * Whether the input gates redacted the user's own values: such a question holds placeholders whose
   * values belong to this request alone, so it is neither served from nor stored in the cache.
   */
  redacted: boolean;
}

function scopeOf(pinned: PinnedVersions): AnswerCacheScope {
  const { promptId, promptVersion, variant, route, catalogVersion } = pinned;
  return { promptId, promptVersion, variant, route, catalogVersion };
}

const enabled = (context: CacheContext): boolean =>
  context.plan.cache !== undefined && !context.redacted && patched(answerCachePatch);

/** An earlier answer this run may serve, or undefined (no policy, redacted input, or a miss). */
export async function lookupCachedAnswer(context: CacheContext): Promise<CachedAnswer | undefined> {
  if (!enabled(context)) return undefined;
  const { hit } = await cache.lookupCachedAnswer({
    tenant: context.tenant, question: context.question, scope: scopeOf(context.pinned),
    passages: context.passages, policy: context.plan.cache!,
  });
  countCacheLookup(hit?.kind ?? 'miss');
  return hit;
}

/** The record a result carries for an answer served from the cache. */
export function cacheRecord(hit: CachedAnswer): AnswerCacheRecord {
  const { kind, score, cachedQuestion, sourceWorkflowId, storedAt, savedTokens } = hit;
  return { hit: kind, score, cachedQuestion, sourceWorkflowId, storedAt, savedTokens };
}

/** Stores a released, generated answer for later runs of the same scope. */
export async function storeCachedAnswer(
  context: CacheContext,
  answer: { text: string; citations: Citation[]; model: string; workflowId: string; paidTokens: number },
): Promise<void> {
  if (!enabled(context)) return;
  await cache.storeCachedAnswer({
    tenant: context.tenant, question: context.question, scope: scopeOf(context.pinned),
    passages: context.passages, policy: context.plan.cache!, ...answer,
  });
}
