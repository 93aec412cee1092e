import { log } from '@temporalio/activity';
import type { z } from 'zod';
import {
  cacheLookupRequestSchema, cacheStoreRequestSchema, type CachedAnswer, type CacheLookupRequest,
  type CacheLookupResult, type CacheStoreRequest,
} from '../../contracts/cache';
import { citationsFromMarkers } from '../../contracts/citations';
import { formatZodError } from '../../contracts/format-error';
import type { ScoredChunk } from '../../contracts/retrieval';
import { invalidInput } from '../failures';
import type { Embedder } from '../retrieval/embedder';
import type { AnswerCacheStore, CacheEntry } from './answer-cache-store';
import { contextKey, exactKey, markerChunkIds, normaliseQuestion, renumberMarkers, scopeKey } from './cache-keys';
import { defaultParaphraseThreshold, matchParaphrase } from './paraphrase-match';

export interface CacheActivityDependencies {
  /** Where answers are cached; without one every lookup misses and nothing is stored. */
  answerCache?: AnswerCacheStore;
  embedder: Embedder;
  /** Expired entries of a tenant are deleted after every this many stores for it. @default 50 */
  sweepEvery?: number;
}

/** Semantic candidates compared per lookup: the nearest questions of the same scope. */
const semanticCandidates = 8;

/** Logs through the activity logger when running as an activity; silent when called directly. */
function note(message: string, fields: Record<string, unknown>): void {
  try {
    log.info(message, fields);
  } catch {
    // Not in an activity context (a unit test calling the function directly).
  }
}

function parse<S extends z.ZodTypeAny>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidInput(`invalid ${what}: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** The entry served with its markers renumbered to this run's passages; undefined when its evidence changed. */
function serve(
  entry: CacheEntry, kind: CachedAnswer['kind'], score: number, passages: readonly ScoredChunk[],
): CachedAnswer | undefined {
  const text = renumberMarkers(entry.text, entry.markers, passages);
  if (text === undefined) return undefined;
  return {
    kind, text, citations: citationsFromMarkers(text, passages), model: entry.model, cachedQuestion: entry.question,
    score, sourceWorkflowId: entry.sourceWorkflowId, storedAt: entry.storedAt, savedTokens: entry.paidTokens,
  };
}

/** The answer-cache activities: look up before generation, store after release. */
export function createCacheActivities(dependencies: CacheActivityDependencies) {
  const { answerCache: store, embedder } = dependencies;
  const sweepEvery = dependencies.sweepEvery ?? 50;
  const storesSinceSweep = new Map<string, number>();
  // Lookup and store of one run are local activities on the same worker: the store reuses the lookup's vector.
  const recentVectors = new Map<string, number[]>();
  const embedQuestion = async (question: string): Promise<number[]> => {
    const key = `${embedder.id}\u0000${question}`;
    const known = recentVectors.get(key);
    if (known) return known;
    const [vector] = await embedder.embed([question]);
    recentVectors.set(key, vector!);
    if (recentVectors.size > 256) recentVectors.delete(recentVectors.keys().next().value!);
    return vector!;
  };
  /** Keeps a tenant's table from growing with entries no lookup may serve any more. */
  const sweepNowAndThen = async (tenant: string, now: string): Promise<void> => {
    const count = (storesSinceSweep.get(tenant) ?? 0) + 1;
    storesSinceSweep.set(tenant, count % sweepEvery);
    if (count < sweepEvery) return;
    const removed = await store!.sweep(tenant, now);
    if (removed > 0) note('expired answers removed from the cache', { tenant, removed });
  };
  return {
    /**
     * An earlier answer to this question (exact) or to a paraphrase of it (semantic) that the tenant may
     * be served: same scope, not expired, and every passage it cites still retrieved unchanged. A broken
     * cache is a miss, never a failed answer.
     */
    async lookupCachedAnswer(raw: CacheLookupRequest): Promise<CacheLookupResult> {
      const request = parse(cacheLookupRequestSchema, raw, 'cache lookup');
      if (!store) return { misses: ['no answer cache on this worker'] };
      const { tenant, question, scope, passages, policy } = request;
      const now = new Date().toISOString();
      const misses: string[] = [];
      // Defence in depth: tables are per tenant, and an entry naming another tenant is never served.
      const usable = (entry: CacheEntry): boolean => {
        if (entry.tenant !== tenant) misses.push(`entry of another tenant ignored (${entry.id.slice(0, 12)})`);
        else if (entry.expiresAt <= now) misses.push(`expired at ${entry.expiresAt}`);
        else return true;
        return false;
      };
      try {
        if (policy.exact) {
          const entry = await store.get(tenant, exactKey(tenant, scope, question, contextKey(passages)));
          const hit = entry && usable(entry) ? serve(entry, 'exact', 1, passages) : undefined;
          if (hit) return { hit, misses };
        }
        if (!policy.semantic) return { misses };
        const vector = await embedQuestion(question);
        const candidates = await store.nearest(tenant, scopeKey(scope), embedder.id, vector, semanticCandidates);
        const threshold = policy.minScore ?? defaultParaphraseThreshold;
        for (const { entry, cosine } of candidates) {
          if (!usable(entry)) continue;
          const verdict = matchParaphrase(entry.question, question, cosine, threshold);
          if (!verdict.match) {
            misses.push(`"${entry.question.slice(0, 60)}" scored ${verdict.score.toFixed(3)}` +
              `${verdict.vetoes.length ? ` (${verdict.vetoes.join(', ')})` : ''}`);
            continue;
          }
          const hit = serve(entry, 'semantic', verdict.score, passages);
          if (hit) return { hit, misses };
          misses.push(`"${entry.question.slice(0, 60)}" cites passages no longer retrieved`);
        }
        return { misses };
      } catch (error) {
        note('answer cache lookup failed; answering without it', { tenant, error: String(error) });
        return { misses: [`cache unavailable: ${error instanceof Error ? error.message : String(error)}`] };
      }
    },

    /** Idempotent: keyed by tenant, scope, question and passages, so a retry replaces its own entry. */
    async storeCachedAnswer(raw: CacheStoreRequest): Promise<{ stored: boolean }> {
      const request = parse(cacheStoreRequestSchema, raw, 'cache entry');
      if (!store) return { stored: false };
      const { tenant, question, scope, passages, policy } = request;
      try {
        const context = contextKey(passages);
        const vector = await embedQuestion(question);
        const storedAt = new Date();
        await store.put({
          id: exactKey(tenant, scope, question, context), tenant, scope: scopeKey(scope), question,
          normalisedQuestion: normaliseQuestion(question), contextKey: context,
          markers: markerChunkIds(request.text, passages), text: request.text, model: request.model,
          sourceWorkflowId: request.workflowId, storedAt: storedAt.toISOString(),
          expiresAt: new Date(storedAt.getTime() + policy.ttlMs).toISOString(), paidTokens: request.paidTokens,
          embedder: embedder.id, vector,
        });
        await sweepNowAndThen(tenant, storedAt.toISOString());
        return { stored: true };
      } catch (error) {
        note('storing an answer in the cache failed', { tenant, error: String(error) });
        return { stored: false };
      }
    },
  };
}

/** The activity interface of the answer cache (imported as a type only). */
export type CacheActivities = ReturnType<typeof createCacheActivities>;
