import { QdrantClient } from '@qdrant/js-client-rest';
import type { ScoredChunk } from '../../contracts/retrieval';
import { denseName, lexicalName, prepareCollection } from './qdrant-collection';
import { defaultDenseWeight, denseSimilarityOf, fusionDepth, weightedScoreFusion } from './score-fusion';
import { documentTerms, queryTerms, type SparseVector } from './sparse-terms';
import { InvalidStoreRequestError } from './store-errors';
import {
  groupChunks, normaliseQuery, type EmbeddedChunk, type SearchQuery, type SettledDocument, type VectorStore,
} from './vector-store';

export interface QdrantStoreOptions {
  /** e.g. http://127.0.0.1:6333 */
  url: string;
  /** Read from the environment by the caller; never logged. */
  apiKey?: string;
  collection: string;
  dimensions: number;
  /**
   * Id of the embedder whose vectors this store holds (Embedder.id). Written into every point's payload;
   * open refuses a collection whose points name another one (EmbedderMismatchError).
   */
  embedderId: string;
  /** Points per upsert request. @default 256 */
  upsertBatchSize?: number;
  /** Most bytes of JSON in one request; Qdrant refuses bodies over 32 MiB by default. @default 24 MiB */
  maxRequestBytes?: number;
  /**
   * Weight of the dense ranking against the lexical one (1) when hybrid search fuses them.
   * @default by `embedderId`: 0 for the hashing embedder, else 0.5 (score-fusion.ts). (It was read from the
   * collection name, which an explicit `collection` need not tie to the embedder.)
   */
  denseWeight?: number;
}

interface ChunkPayload {
  tenant: string;
  document_id: string;
  chunk_index: number;
  title: string;
  source: string;
  text: string;
  version: number;
  /** Embedder.id of the vector; absent on points written before it was recorded. */
  embedder?: string;
  [key: string]: unknown;
}

type Condition =
  | { key: string; match: { value: string | number } | { any: string[] } }
  | { key: string; range: { lt?: number; lte?: number; gt?: number } }
  | { is_empty: { key: string } }
  | { has_id: string[] };
interface Filter {
  must?: Condition[];
  must_not?: Condition[];
  should?: Condition[];
}
type PointQuery = { query: number[] | SparseVector; using: string; filter: Filter; limit: number; with_payload: true };

/** Points written before chunks were versioned have no `version`: they count as version 0. */
const versionAtMost = (version: number): Filter => ({
  should: [{ key: 'version', range: { lte: version } }, { is_empty: { key: 'version' } }],
});
const versionBelow = (version: number): Filter => ({
  should: [{ key: 'version', range: { lt: version } }, { is_empty: { key: 'version' } }],
});
const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

function fromPoint(point: {
  id: string | number;
  score: number;
  similarity?: number;
  payload?: Record<string, unknown> | null;
}): ScoredChunk {
  const payload = (point.payload ?? {}) as Partial<ChunkPayload>;
  return {
    id: String(point.id),
    tenant: String(payload.tenant),
    documentId: String(payload.document_id),
    chunkIndex: Number(payload.chunk_index),
    title: String(payload.title), source: String(payload.source), text: String(payload.text), score: point.score,
    ...(point.similarity !== undefined ? { similarity: point.similarity } : {}),
  };
}

/**
 * Qdrant adapter: one collection with a named dense vector (cosine) and a named sparse lexical
 * vector (BM25 term weights, IDF applied by Qdrant), payload indexes on tenant (marked as the
 * tenant key, so Qdrant co-locates a tenant's points), document, source, version and embedder (each
 * point names the embedder that made its vector; open refuses a collection of another one). Hybrid
 * search runs both rankings in one batch request and fuses them here with the same weighted score fusion as
 * the LanceDB store, so scores mean the same on both. The tenant filter is part of every query.
 * BM25's IDF is collection-wide, so one tenant's documents shift another's lexical scores (not
 * their filtering): see README, "Retrieval and ingestion".
 */
export class QdrantStore implements VectorStore {
  readonly name = 'qdrant';
  private readonly upsertBatchSize: number;
  private readonly maxRequestBytes: number;
  private readonly denseWeight: number;
  private readonly embedderId: string;

  private constructor(
    private readonly client: QdrantClient,
    private readonly collection: string,
    options: QdrantStoreOptions,
  ) {
    this.upsertBatchSize = options.upsertBatchSize ?? 256;
    this.maxRequestBytes = options.maxRequestBytes ?? 24 * 1024 * 1024;
    this.denseWeight = options.denseWeight ?? defaultDenseWeight(options.embedderId);
    this.embedderId = options.embedderId;
  }

  /**
   * Connects, creates the collection when missing or checks the one there (vector shape, and the
   * embedder its points name), and repairs its payload indexes.
   */
  static async open(options: QdrantStoreOptions): Promise<QdrantStore> {
    // Compressed responses on a kept-alive connection stall ≈ 40 ms each; identity avoids it.
    const client = new QdrantClient({
      url: options.url, apiKey: options.apiKey, checkCompatibility: false, headers: { 'accept-encoding': 'identity' },
    });
    await prepareCollection(client, options.collection, options);
    return new QdrantStore(client, options.collection, options);
  }

  async upsert(chunks: readonly EmbeddedChunk[]): Promise<void> {
    // One request per version (an ingest writes one), so the "never overwrite a newer version" filter
    // fits all its points.
    for (const [version, group] of groupChunks(chunks, (chunk) => chunk.version ?? 0)) {
      for (const points of this.batches(group)) {
        // wait: true so a search right after an ingest sees the chunks (read-your-writes).
        await this.client.upsert(this.collection, { wait: true, points, update_filter: versionAtMost(version) });
      }
    }
  }

  /** Splits points into requests under both the point count and the byte budget. */
  private *batches(chunks: readonly EmbeddedChunk[]) {
    let batch: { id: string; vector: Record<string, number[] | SparseVector>; payload: ChunkPayload }[] = [];
    let bytes = 0;
    for (const chunk of chunks) {
      const point = {
        id: chunk.id,
        vector: { [denseName]: chunk.vector, [lexicalName]: documentTerms(`${chunk.title}\n${chunk.text}`) },
        payload: {
          tenant: chunk.tenant, document_id: chunk.documentId, chunk_index: chunk.chunkIndex, title: chunk.title,
          source: chunk.source, text: chunk.text, version: chunk.version ?? 0, embedder: this.embedderId,
        } satisfies ChunkPayload,
      };
      const size = byteLength(point) + 1;
      if (size + 64 > this.maxRequestBytes) {
        throw new InvalidStoreRequestError(
          `chunk ${chunk.chunkIndex} of document ${chunk.documentId} needs ${size} bytes, ` +
          `over the ${this.maxRequestBytes}-byte request limit`,
        );
      }
      if (batch.length >= this.upsertBatchSize || bytes + size + 64 > this.maxRequestBytes) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      batch.push(point);
      bytes += size;
    }
    if (batch.length) yield batch;
  }

  private tenantFilter(tenant: string, documentIds?: readonly string[]): Filter {
    const must: Condition[] = [{ key: 'tenant', match: { value: tenant } }];
    if (documentIds) must.push({ key: 'document_id', match: { any: [...documentIds] } });
    return { must };
  }

  async search(rawQuery: SearchQuery): Promise<ScoredChunk[]> {
    const query = normaliseQuery(rawQuery);
    if (query.documentIds && query.documentIds.length === 0) return [];
    const filter = this.tenantFilter(query.tenant, query.documentIds);
    const sparse = queryTerms(query.text);
    const dense = (limit: number): PointQuery => ({
      query: query.vector!, using: denseName, filter, limit, with_payload: true,
    });
    const lexical = (limit: number): PointQuery => ({
      query: sparse, using: lexicalName, filter, limit, with_payload: true,
    });
    if (query.mode === 'dense') {
      return (await this.queryOne(dense(query.topK))).map((point) => fromPoint({ ...point, similarity: point.score }));
    }
    if (query.mode === 'lexical') {
      return sparse.indices.length ? (await this.queryOne(lexical(query.topK))).map(fromPoint) : [];
    }
    const candidates = fusionDepth(query.topK);
    const searches = sparse.indices.length ? [lexical(candidates), dense(candidates)] : [dense(candidates)];
    this.checkSize(searches);
    const results = await this.client.queryBatch(this.collection, { searches });
    // The last ranking is always the dense one. A lexical one before it weighs 1, and a point it did
    // not return shares no term with the query: its BM25 score is 0.
    const rankings = results.map((result, index) => ({
      items: result.points, scoreOf: (point: { score: number }) => point.score,
      ...(index === results.length - 1 ? { weight: this.denseWeight } : { weight: 1, floor: 0 }),
    }));
    const similarityOf = denseSimilarityOf(results.at(-1)!.points, (point) => String(point.id), (point) => point.score);
    return weightedScoreFusion(rankings, (point) => String(point.id))
      .slice(0, query.topK)
      .map(({ item, score }) => fromPoint({ ...item, score, similarity: similarityOf(String(item.id)) }));
  }

  private async queryOne(request: PointQuery) {
    this.checkSize(request);
    return (await this.client.query(this.collection, request)).points;
  }

  /** A body over Qdrant's limit fails as a bare "fetch failed"; say what is too big instead. */
  private checkSize(body: unknown): void {
    const size = byteLength(body);
    if (size > this.maxRequestBytes) {
      throw new InvalidStoreRequestError(
        `search request of ${size} bytes is over the ${this.maxRequestBytes}-byte request limit ` +
        '(too many document ids?)',
      );
    }
  }

  async deleteDocument(tenant: string, documentId: string, keepIds: readonly string[] = []): Promise<number> {
    const filter: Filter = { must: this.documentConditions(tenant, documentId) };
    if (keepIds.length) filter.must_not = [{ has_id: [...keepIds] }];
    return this.deleteWhere(filter);
  }

  private documentConditions(tenant: string, documentId: string): Condition[] {
    return [{ key: 'tenant', match: { value: tenant } }, { key: 'document_id', match: { value: documentId } }];
  }

  private async deleteWhere(filter: Filter): Promise<number> {
    const { count } = await this.client.count(this.collection, { filter, exact: true });
    if (count > 0) await this.client.delete(this.collection, { wait: true, filter });
    return count;
  }

  async settleDocument(tenant: string, documentId: string, version: number): Promise<SettledDocument> {
    const document = this.documentConditions(tenant, documentId);
    const removed = await this.deleteWhere({ must: document, should: versionBelow(version).should });
    const newer = await this.client.count(this.collection, {
      filter: { must: [...document, { key: 'version', range: { gt: version } }] }, exact: true,
    });
    const superseded = newer.count > 0;
    if (superseded) await this.deleteWhere({ must: [...document, { key: 'version', match: { value: version } }] });
    return { removed, superseded };
  }

  async listDocuments(tenant: string, source: string): Promise<string[]> {
    const filter: Filter = {
      must: [{ key: 'tenant', match: { value: tenant } }, { key: 'source', match: { value: source } }],
    };
    const documents = new Set<string>();
    let offset: string | number | undefined;
    do {
      const page = await this.client.scroll(this.collection, {
        filter,
        limit: 1000,
        offset,
        with_payload: ['document_id'],
        with_vector: false,
      });
      for (const point of page.points) {
        documents.add(String((point.payload as Partial<ChunkPayload> | null)?.document_id));
      }
      offset =
        typeof page.next_page_offset === 'string' || typeof page.next_page_offset === 'number'
          ? page.next_page_offset
          : undefined;
    } while (offset !== undefined);
    return [...documents].sort();
  }

  async hasTenant(tenant: string): Promise<boolean> {
    const { points } = await this.client.scroll(this.collection, {
      filter: this.tenantFilter(tenant),
      limit: 1,
      with_payload: false,
      with_vector: false,
    });
    return points.length > 0;
  }

  async count(tenant: string, documentId?: string): Promise<number> {
    const filter = this.tenantFilter(tenant, documentId === undefined ? undefined : [documentId]);
    return (await this.client.count(this.collection, { filter, exact: true })).count;
  }

  /** Drops the whole collection (tests and benchmarks use throwaway collections). */
  async dropCollection(): Promise<void> {
    await this.client.deleteCollection(this.collection);
  }

  async close(): Promise<void> {
    // The REST client holds no connection that needs closing.
  }
}
