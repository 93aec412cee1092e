import { QdrantClient } from '@qdrant/js-client-rest';
import type { ScoredChunk } from '../../contracts/retrieval';
import { documentTerms, queryTerms, type SparseVector } from './sparse-terms';
import { normaliseQuery, type EmbeddedChunk, type SearchQuery, type VectorStore } from './vector-store';

/** Names of the two vectors each point carries. */
const denseName = 'dense';
const lexicalName = 'lexical';

export interface QdrantStoreOptions {
  /** e.g. http://127.0.0.1:6333 */
  url: string;
  /** Read from the environment by the caller; never logged. */
  apiKey?: string;
  collection: string;
  dimensions: number;
  /** Points per upsert request. @default 256 */
  upsertBatchSize?: number;
}

interface ChunkPayload {
  tenant: string;
  document_id: string;
  chunk_index: number;
  title: string;
  source: string;
  text: string;
  [key: string]: unknown;
}

type Condition = { key: string; match: { value: string } | { any: string[] } } | { has_id: string[] };
interface Filter {
  must: Condition[];
  must_not?: Condition[];
}

function fromPoint(point: { id: string | number; score: number; payload?: Record<string, unknown> | null }): ScoredChunk {
  const payload = (point.payload ?? {}) as Partial<ChunkPayload>;
  return {
    id: String(point.id), tenant: String(payload.tenant), documentId: String(payload.document_id), chunkIndex: Number(payload.chunk_index),
    title: String(payload.title), source: String(payload.source), text: String(payload.text), score: point.score,
  };
}

/**
 * Qdrant adapter: one collection with a named dense vector (cosine) and a named sparse lexical
 * vector (BM25 term weights, IDF applied by Qdrant), payload indexes on tenant (marked as the
 * tenant key, so Qdrant co-locates a tenant's points) and document. Hybrid search is Qdrant's own
 * query API: both rankings prefetched and fused by RRF server-side. The tenant filter is part of
 * every prefetch and of the outer query.
 */
export class QdrantStore implements VectorStore {
  readonly name = 'qdrant';
  private readonly upsertBatchSize: number;

  private constructor(private readonly client: QdrantClient, private readonly collection: string, options: QdrantStoreOptions) {
    this.upsertBatchSize = options.upsertBatchSize ?? 256;
  }

  /** Connects and creates the collection and its payload indexes when missing. */
  static async open(options: QdrantStoreOptions): Promise<QdrantStore> {
    const client = new QdrantClient({ url: options.url, apiKey: options.apiKey, checkCompatibility: false });
    const { exists } = await client.collectionExists(options.collection);
    if (!exists) {
      try {
        await client.createCollection(options.collection, {
          vectors: { [denseName]: { size: options.dimensions, distance: 'Cosine' } },
          sparse_vectors: { [lexicalName]: { modifier: 'idf' } },
        });
      } catch (error) {
        // Another worker created it first; anything else is real.
        if (!(await client.collectionExists(options.collection)).exists) throw error;
      }
      await client.createPayloadIndex(options.collection, { field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true }, wait: true });
      await client.createPayloadIndex(options.collection, { field_name: 'document_id', field_schema: 'keyword', wait: true });
      await client.createPayloadIndex(options.collection, { field_name: 'source', field_schema: 'keyword', wait: true });
    }
    return new QdrantStore(client, options.collection, options);
  }

  async upsert(chunks: readonly EmbeddedChunk[]): Promise<void> {
    for (let start = 0; start < chunks.length; start += this.upsertBatchSize) {
      const points = chunks.slice(start, start + this.upsertBatchSize).map((chunk) => ({
        id: chunk.id,
        vector: { [denseName]: chunk.vector, [lexicalName]: documentTerms(`${chunk.title}\n${chunk.text}`) },
        payload: { tenant: chunk.tenant, document_id: chunk.documentId, chunk_index: chunk.chunkIndex, title: chunk.title, source: chunk.source, text: chunk.text } satisfies ChunkPayload,
      }));
      // wait: true so a search right after an ingest sees the chunks (read-your-writes).
      await this.client.upsert(this.collection, { wait: true, points });
    }
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
    const common = { filter, limit: query.topK, with_payload: true } as const;
    if (query.mode === 'dense') {
      const { points } = await this.client.query(this.collection, { ...common, query: query.vector!, using: denseName });
      return points.map(fromPoint);
    }
    if (query.mode === 'lexical') {
      if (sparse.indices.length === 0) return [];
      const { points } = await this.client.query(this.collection, { ...common, query: sparse, using: lexicalName });
      return points.map(fromPoint);
    }
    const candidates = Math.max(query.topK * 4, 20);
    const prefetch: { query: number[] | SparseVector; using: string; filter: Filter; limit: number }[] = [{ query: query.vector!, using: denseName, filter, limit: candidates }];
    if (sparse.indices.length) prefetch.push({ query: sparse, using: lexicalName, filter, limit: candidates });
    const { points } = await this.client.query(this.collection, { ...common, prefetch, query: { fusion: 'rrf' } });
    return points.map(fromPoint);
  }

  async deleteDocument(tenant: string, documentId: string, keepIds: readonly string[] = []): Promise<number> {
    const filter: Filter = { must: [{ key: 'tenant', match: { value: tenant } }, { key: 'document_id', match: { value: documentId } }] };
    if (keepIds.length) filter.must_not = [{ has_id: [...keepIds] }];
    const { count } = await this.client.count(this.collection, { filter, exact: true });
    if (count > 0) await this.client.delete(this.collection, { wait: true, filter });
    return count;
  }

  async listDocuments(tenant: string, source: string): Promise<string[]> {
    const filter: Filter = { must: [{ key: 'tenant', match: { value: tenant } }, { key: 'source', match: { value: source } }] };
    const documents = new Set<string>();
    let offset: string | number | undefined;
    do {
      const page = await this.client.scroll(this.collection, { filter, limit: 1000, offset, with_payload: ['document_id'], with_vector: false });
      for (const point of page.points) documents.add(String((point.payload as Partial<ChunkPayload> | null)?.document_id));
      offset = typeof page.next_page_offset === 'string' || typeof page.next_page_offset === 'number' ? page.next_page_offset : undefined;
    } while (offset !== undefined);
    return [...documents].sort();
  }

  async hasTenant(tenant: string): Promise<boolean> {
    const { points } = await this.client.scroll(this.collection, { filter: this.tenantFilter(tenant), limit: 1, with_payload: false, with_vector: false });
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
