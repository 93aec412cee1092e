import type { Chunk, ScoredChunk } from '../../contracts/retrieval';

/** A chunk with its dense vector, ready to store. */
export interface EmbeddedChunk extends Chunk {
  vector: number[];
  /**
   * Version of the ingest that wrote the chunk (see ingest-version.ts); of two writes of one id
   * the higher version stays. Chunks stored before versions existed count as version 0. @default 0
   */
  version?: number;
}

/** What settling a document's version did. */
export interface SettledDocument {
  /** Chunks of lower versions that were removed. */
  removed: number;
  /** A higher version of the document was already stored, so this version's own chunks went. */
  superseded: boolean;
}

/** Which rankings a search uses: BM25-style lexical, dense similarity, or both fused (weighted score fusion). */
export type SearchMode = 'hybrid' | 'dense' | 'lexical';

export interface SearchQuery {
  /** Every search is confined to one tenant, inside the store query, never afterwards. */
  tenant: string;
  text: string;
  /** The query's dense vector; required unless `mode` is 'lexical'. */
  vector?: number[];
  topK: number;
  /** @default 'hybrid' */
  mode?: SearchMode;
  /** Narrows the search to these documents of the tenant (still inside the store query). */
  documentIds?: readonly string[];
}

/**
 * Where chunks live. Implementations: the embedded LanceDB store and Qdrant; both pass the
 * shared contract suite in test/contract/. Implementations must be safe to call concurrently.
 */
export interface VectorStore {
  /** Short name for logs and benchmarks, e.g. "lancedb". */
  readonly name: string;
  /**
   * Inserts or replaces chunks by id; ids are deterministic, so repeating an upsert is harmless.
   * A stored chunk with a higher `version` than the incoming one is left as it is.
   */
  upsert(chunks: readonly EmbeddedChunk[]): Promise<void>;
  /** Ranked chunks of one tenant, best first, at most `topK`; scores are higher-is-better. */
  search(query: SearchQuery): Promise<ScoredChunk[]>;
  /**
   * Removes a document's chunks, except those whose ids are in `keepIds` (so a re-ingest can
   * drop the chunks of an older version after upserting the new one). Returns how many went.
   */
  deleteDocument(tenant: string, documentId: string, keepIds?: readonly string[]): Promise<number>;
  /**
   * Last write wins for concurrent re-ingests of one document: after a version's chunks are all
   * upserted, removes the document's chunks of lower versions, then, if a higher version is
   * stored, removes this version's own chunks. Whatever the interleaving, the highest version's
   * chunks stay complete and the others go.
   */
  settleDocument(tenant: string, documentId: string, version: number): Promise<SettledDocument>;
  /** Distinct ids of the tenant's documents whose chunks cite `source` (the records of one JSON-lines file). */
  listDocuments(tenant: string, source: string): Promise<string[]>;
  /** Whether the tenant has any chunk (to tell "unknown tenant" from "no match"). */
  hasTenant(tenant: string): Promise<boolean>;
  /** Chunks a tenant holds (optionally of one document); for reports and tests. */
  count(tenant: string, documentId?: string): Promise<number>;
  /**
   * Folds recent writes into the store's indexes, where that is a separate step (LanceDB): one
   * tenant's, or every open table's.
   */
  optimize?(tenant?: string): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by a store for a query it cannot run (e.g. dense mode without a vector). */
export class InvalidSearchError extends Error {
  override readonly name = 'InvalidSearchError';
}

/** Fills defaults and checks a query before a store runs it. */
export function normaliseQuery(query: SearchQuery): Required<Pick<SearchQuery, 'mode'>> & SearchQuery {
  const mode = query.mode ?? 'hybrid';
  if (!query.tenant) throw new InvalidSearchError('tenant: must not be empty');
  if (!Number.isInteger(query.topK) || query.topK < 1) throw new InvalidSearchError('topK: must be a positive integer');
  if (mode !== 'lexical' && !query.vector) throw new InvalidSearchError(`a ${mode} search needs a query vector`);
  return { ...query, mode };
}

/** Chunks grouped by a key (a tenant's table, a version's conditional upsert), in first-seen order. */
export function groupChunks<Key>(
  chunks: readonly EmbeddedChunk[], keyOf: (chunk: EmbeddedChunk) => Key,
): Map<Key, EmbeddedChunk[]> {
  const groups = new Map<Key, EmbeddedChunk[]>();
  for (const chunk of chunks) {
    const key = keyOf(chunk);
    const group = groups.get(key);
    if (group) group.push(chunk);
    else groups.set(key, [chunk]);
  }
  return groups;
}
