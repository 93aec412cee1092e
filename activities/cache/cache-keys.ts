import { createHash } from 'node:crypto';
import type { AnswerCacheScope } from '../../contracts/cache';
import type { ScoredChunk } from '../../contracts/retrieval';

// Keys of the answer cache: pure functions, so lookup and store derive the same key from the same run.

const sha256 = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/**
 * The question as the exact cache compares it: Unicode-normalised (NFKC), lower case, whitespace
 * collapsed, trailing punctuation dropped. "What is X?" and " what is x " are the same question.
 */
export function normaliseQuestion(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s?!.。？！]+$/u, '');
}

/** One string for a scope, stored with every entry and matched exactly on lookup. */
export function scopeKey(scope: AnswerCacheScope): string {
  return [scope.promptId, scope.promptVersion, scope.variant, scope.route, scope.catalogVersion].join('|');
}

/**
 * The retrieved passages as a set: chunk ids hash tenant, document, position and content, so a
 * changed document gives different ids and a different key. Order does not matter.
 */
export function contextKey(passages: readonly Pick<ScoredChunk, 'id'>[]): string {
  return sha256(...passages.map((passage) => passage.id).sort());
}

/** The exact cache's key: one entry per tenant, scope, normalised question and retrieved passages. */
export function exactKey(tenant: string, scope: AnswerCacheScope, question: string, context: string): string {
  return sha256(tenant, scopeKey(scope), normaliseQuestion(question), context);
}

/** Chunk id behind each `[n]` marker of a text written against `passages` (markers naming none are left out). */
export function markerChunkIds(text: string, passages: readonly Pick<ScoredChunk, 'id'>[]): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const passage = passages[Number(match[1]) - 1];
    if (passage) ids[match[1]!] = passage.id;
  }
  return ids;
}

/**
 * Renumbers a cached text's markers to where their chunks sit among this run's passages. Undefined
 * when a cited chunk is not among them: the evidence changed or is no longer retrieved.
 */
export function renumberMarkers(
  text: string, markers: Record<string, string>, passages: readonly Pick<ScoredChunk, 'id'>[],
): string | undefined {
  const position = new Map(passages.map((passage, index) => [passage.id, index + 1]));
  const renumbered = new Map<string, number>();
  for (const [marker, chunkId] of Object.entries(markers)) {
    const now = position.get(chunkId);
    if (now === undefined) return undefined;
    renumbered.set(marker, now);
  }
  // A marker that named no passage is dropped: among other passages it could name a real one.
  return text.replace(/\[(\d{1,3})\]/g, (_whole, marker: string) => {
    const now = renumbered.get(marker);
    return now === undefined ? '' : `[${now}]`;
  });
}
