import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';
import type { ScoredChunk } from '../../contracts/retrieval';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import type { EmbeddedChunk, SearchQuery, VectorStore } from './vector-store';

interface ChunkRow {
  id: string;
  tenant: string;
  document_id: string;
  chunk_index: number;
  title: string;
  source: string;
  text: string;
  vector: number[];
}

/** SQL string literal for LanceDB filters; ids are validated upstream, this is defence in depth. */
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function toRow(chunk: EmbeddedChunk): ChunkRow {
  return { id: chunk.id, tenant: chunk.tenant, document_id: chunk.documentId, chunk_index: chunk.chunkIndex, title: chunk.title, source: chunk.source, text: chunk.text, vector: chunk.vector };
}

function fromRow(row: Record<string, unknown>, score: number): ScoredChunk {
  return {
    id: String(row.id), tenant: String(row.tenant), documentId: String(row.document_id), chunkIndex: Number(row.chunk_index),
    title: String(row.title), source: String(row.source), text: String(row.text), score,
  };
}

/**
 * The embedded default store: a LanceDB table on local disk, searched by dense vectors and a
 * BM25 full-text index, fused with reciprocal rank fusion. The tenant filter is part of both
 * store queries, never applied afterwards.
 */
export class LanceDbStore implements VectorStore {
  // LanceDB commits are optimistic; serialising this process's writes avoids commit conflicts.
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(private readonly table: lancedb.Table) {}

  /** Opens (or creates) the chunk table for vectors of `dimensions` under `directory`. */
  static async open(directory: string, tableName: string, dimensions: number): Promise<LanceDbStore> {
    const connection = await lancedb.connect(directory);
    const names = await connection.tableNames();
    if (names.includes(tableName)) return new LanceDbStore(await connection.openTable(tableName));
    const schema = new Schema([
      new Field('id', new Utf8(), false), new Field('tenant', new Utf8(), false), new Field('document_id', new Utf8(), false),
      new Field('chunk_index', new Int32(), false), new Field('title', new Utf8(), false), new Field('source', new Utf8(), false),
      new Field('text', new Utf8(), false),
      new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
    ]);
    try {
      return new LanceDbStore(await connection.createEmptyTable(tableName, schema, { existOk: true }));
    } catch {
      // Another process created it between our check and create.
      return new LanceDbStore(await connection.openTable(tableName));
    }
  }

  private serialised<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }

  async upsert(chunks: readonly EmbeddedChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    await this.serialised(async () => {
      await this.table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(chunks.map(toRow) as unknown as Record<string, unknown>[]);
      await this.table.createIndex('text', { config: lancedb.Index.fts(), replace: true });
    });
  }

  async deleteDocumentChunks(tenant: string, documentId: string, keepIds: readonly string[] = []): Promise<number> {
    return this.serialised(async () => {
      let predicate = `tenant = ${literal(tenant)} AND document_id = ${literal(documentId)}`;
      if (keepIds.length) predicate += ` AND id NOT IN (${keepIds.map(literal).join(', ')})`;
      const before = await this.table.countRows(predicate);
      if (before > 0) await this.table.delete(predicate);
      return before;
    });
  }

  async search(query: SearchQuery): Promise<ScoredChunk[]> {
    const filter = `tenant = ${literal(query.tenant)}`;
    const candidates = query.topK * 4;
    const dense = (await this.table.vectorSearch(query.vector).distanceType('cosine').where(filter).limit(candidates).toArray()) as Record<string, unknown>[];
    const lexical = await this.lexicalSearch(query.text, filter, candidates);
    return reciprocalRankFusion([lexical, dense], (row) => String(row.id))
      .slice(0, query.topK)
      .map(({ item, score }) => fromRow(item, score));
  }

  private async lexicalSearch(text: string, filter: string, limit: number): Promise<Record<string, unknown>[]> {
    const indices = await this.table.listIndices();
    if (!indices.some((index) => index.columns.includes('text'))) return [];
    return (await this.table.search(text, 'fts').where(filter).limit(limit).toArray()) as Record<string, unknown>[];
  }

  async close(): Promise<void> {
    await this.writes;
    this.table.close();
  }
}
