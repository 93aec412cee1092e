import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';
import type { ScoredChunk } from '../../contracts/retrieval';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import { contentTokens } from './tokenize';
import { normaliseQuery, type EmbeddedChunk, type SearchQuery, type VectorStore } from './vector-store';

type Row = Record<string, unknown>;

/** SQL string literal for LanceDB filters; ids are validated upstream, this is defence in depth. */
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function toRow(chunk: EmbeddedChunk): Row {
  return { id: chunk.id, tenant: chunk.tenant, document_id: chunk.documentId, chunk_index: chunk.chunkIndex, title: chunk.title, source: chunk.source, text: chunk.text, vector: chunk.vector };
}

function fromRow(row: Row, score: number): ScoredChunk {
  return {
    id: String(row.id), tenant: String(row.tenant), documentId: String(row.document_id), chunkIndex: Number(row.chunk_index),
    title: String(row.title), source: String(row.source), text: String(row.text), score,
  };
}

export interface LanceDbStoreOptions {
  /** Rows written since the last optimize after which indexes are folded in again. @default 20000 */
  optimizeEveryRows?: number;
}

/**
 * The embedded default store: a LanceDB table on local disk with a BM25 full-text index on the
 * text, bitmap/btree indexes on tenant and document, and dense cosine search. Hybrid search fuses
 * both rankings with reciprocal rank fusion. The tenant filter is part of every store query.
 */
export class LanceDbStore implements VectorStore {
  readonly name = 'lancedb';
  // LanceDB commits are optimistic; serialising this process's writes avoids commit conflicts.
  private writes: Promise<unknown> = Promise.resolve();
  private indexesReady = false;
  private rowsSinceOptimize = 0;
  private readonly optimizeEveryRows: number;

  private constructor(private readonly table: lancedb.Table, options: LanceDbStoreOptions) {
    this.optimizeEveryRows = options.optimizeEveryRows ?? 20_000;
  }

  /** Opens (or creates) the chunk table for vectors of `dimensions` under `directory`. */
  static async open(directory: string, tableName: string, dimensions: number, options: LanceDbStoreOptions = {}): Promise<LanceDbStore> {
    const connection = await lancedb.connect(directory);
    const names = await connection.tableNames();
    if (names.includes(tableName)) return new LanceDbStore(await connection.openTable(tableName), options);
    const schema = new Schema([
      new Field('id', new Utf8(), false), new Field('tenant', new Utf8(), false), new Field('document_id', new Utf8(), false),
      new Field('chunk_index', new Int32(), false), new Field('title', new Utf8(), false), new Field('source', new Utf8(), false),
      new Field('text', new Utf8(), false),
      new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
    ]);
    try {
      return new LanceDbStore(await connection.createEmptyTable(tableName, schema, { existOk: true }), options);
    } catch {
      // Another process created it between our check and create.
      return new LanceDbStore(await connection.openTable(tableName), options);
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
      await this.table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(chunks.map(toRow));
      this.rowsSinceOptimize += chunks.length;
      await this.ensureIndexes();
      // Rows written after an index was built are still searched (flat); folding them into the
      // index now and then keeps queries fast without rebuilding it on every write.
      if (this.rowsSinceOptimize >= this.optimizeEveryRows) await this.optimizeNow();
    });
  }

  /** Creates the indexes once the table has rows (LanceDB cannot train them on an empty table). */
  private async ensureIndexes(): Promise<void> {
    if (this.indexesReady) return;
    const existing = new Set((await this.table.listIndices()).flatMap((index) => index.columns));
    if (!existing.has('text')) await this.table.createIndex('text', { config: lancedb.Index.fts() });
    if (!existing.has('tenant')) await this.table.createIndex('tenant', { config: lancedb.Index.bitmap() });
    if (!existing.has('document_id')) await this.table.createIndex('document_id', { config: lancedb.Index.btree() });
    this.indexesReady = true;
  }

  private async optimizeNow(): Promise<void> {
    await this.table.optimize();
    this.rowsSinceOptimize = 0;
  }

  /** Folds recent writes into the indexes and compacts files; cheap to call after a large ingest. */
  async optimize(): Promise<void> {
    await this.serialised(() => this.optimizeNow());
  }

  async deleteDocument(tenant: string, documentId: string, keepIds: readonly string[] = []): Promise<number> {
    return this.serialised(async () => {
      let predicate = `tenant = ${literal(tenant)} AND document_id = ${literal(documentId)}`;
      if (keepIds.length) predicate += ` AND id NOT IN (${keepIds.map(literal).join(', ')})`;
      const before = await this.table.countRows(predicate);
      if (before > 0) await this.table.delete(predicate);
      return before;
    });
  }

  async listDocuments(tenant: string, source: string): Promise<string[]> {
    const rows = (await this.table.query().where(`tenant = ${literal(tenant)} AND source = ${literal(source)}`).select(['document_id']).toArray()) as Row[];
    return [...new Set(rows.map((row) => String(row.document_id)))].sort();
  }

  async hasTenant(tenant: string): Promise<boolean> {
    return (await this.table.query().where(`tenant = ${literal(tenant)}`).select(['id']).limit(1).toArray()).length > 0;
  }

  async count(tenant: string, documentId?: string): Promise<number> {
    let predicate = `tenant = ${literal(tenant)}`;
    if (documentId !== undefined) predicate += ` AND document_id = ${literal(documentId)}`;
    return this.table.countRows(predicate);
  }

  async search(rawQuery: SearchQuery): Promise<ScoredChunk[]> {
    const query = normaliseQuery(rawQuery);
    let filter = `tenant = ${literal(query.tenant)}`;
    if (query.documentIds) {
      if (query.documentIds.length === 0) return [];
      filter += ` AND document_id IN (${query.documentIds.map(literal).join(', ')})`;
    }
    if (query.mode === 'dense') return (await this.denseSearch(query.vector!, filter, query.topK)).map(({ row, score }) => fromRow(row, score));
    if (query.mode === 'lexical') return (await this.lexicalSearch(query.text, filter, query.topK)).map(({ row, score }) => fromRow(row, score));
    const candidates = Math.max(query.topK * 4, 20);
    const [dense, lexical] = await Promise.all([this.denseSearch(query.vector!, filter, candidates), this.lexicalSearch(query.text, filter, candidates)]);
    return reciprocalRankFusion([lexical.map(({ row }) => row), dense.map(({ row }) => row)], (row) => String(row.id))
      .slice(0, query.topK)
      .map(({ item, score }) => fromRow(item, score));
  }

  private async denseSearch(vector: number[], filter: string, limit: number): Promise<{ row: Row; score: number }[]> {
    const rows = (await this.table.vectorSearch(vector).distanceType('cosine').where(filter).limit(limit).toArray()) as Row[];
    return rows.map((row) => ({ row, score: 1 - Number(row._distance) }));
  }

  private async lexicalSearch(text: string, filter: string, limit: number): Promise<{ row: Row; score: number }[]> {
    // Only plain terms reach the full-text engine: quotes and operators in a user's query can
    // neither change the query's meaning nor make it fail to parse.
    const terms = contentTokens(text).join(' ');
    if (!terms || !this.indexesReady && !(await this.table.listIndices()).some((index) => index.columns.includes('text'))) return [];
    const rows = (await this.table.search(terms, 'fts').where(filter).limit(limit).toArray()) as Row[];
    return rows.map((row) => ({ row, score: Number(row._score) }));
  }

  async close(): Promise<void> {
    await this.writes;
    this.table.close();
  }
}
