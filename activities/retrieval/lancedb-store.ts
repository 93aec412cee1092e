import * as lancedb from '@lancedb/lancedb';
import type { ScoredChunk } from '../../contracts/retrieval';
import {
  chunkSchema, legacyRows, literal, openIfExists, TableCreator, tenantTableName, toRow, WriteQueue, type Row,
} from './lancedb-tables';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import { contentTokens } from './tokenize';
import {
  groupChunks, normaliseQuery, type EmbeddedChunk, type SearchQuery, type SettledDocument, type VectorStore,
} from './vector-store';

function fromRow(row: Row, score: number): ScoredChunk {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    documentId: String(row.document_id),
    chunkIndex: Number(row.chunk_index),
    title: String(row.title), source: String(row.source), text: String(row.text), score,
  };
}

export interface LanceDbStoreOptions {
  /**
   * Rows written to a tenant's table since its last optimize after which indexes are folded in again.
   * @default 20000
   */
  optimizeEveryRows?: number;
}

/** One tenant's table and what this process knows of its indexes. */
interface TenantTable {
  table: lancedb.Table;
  indexesReady: boolean;
  rowsSinceOptimize: number;
}

// Rows stored before `version` existed count as version 0 (a NULL is treated the same way).
const olderThan = (version: number): string => `(version IS NULL OR version < ${version})`;

/**
 * The embedded default store: one LanceDB table per tenant on local disk, each with a BM25
 * full-text index on the text, a btree index on document, and dense cosine search. A table per
 * tenant keeps BM25's term statistics (document frequencies, average length) per tenant, so one
 * tenant's documents never change another tenant's lexical scores; the tenant filter stays in
 * every query as defence in depth. Hybrid search fuses both rankings with reciprocal rank fusion.
 * Stores written before tables were per tenant keep their shared table; a tenant's rows move out
 * of it into the tenant's own table the first time this process touches that tenant.
 */
export class LanceDbStore implements VectorStore {
  readonly name = 'lancedb';
  // LanceDB commits are optimistic; serialising this process's writes avoids commit conflicts.
  private readonly writes = new WriteQueue();
  private readonly tables = new Map<string, TenantTable>();
  private readonly creator: TableCreator;
  private readonly migrated = new Set<string>();
  private readonly optimizeEveryRows: number;

  private constructor(
    private readonly connection: lancedb.Connection,
    private readonly prefix: string,
    dimensions: number,
    private legacy: lancedb.Table | undefined,
    options: LanceDbStoreOptions,
  ) {
    this.optimizeEveryRows = options.optimizeEveryRows ?? 20_000;
    this.creator = new TableCreator(connection, chunkSchema(dimensions));
  }

  /** Opens the store under `directory`; `tableName` prefixes the tenants' tables (and names the legacy shared one). */
  static async open(
    directory: string,
    tableName: string,
    dimensions: number,
    options: LanceDbStoreOptions = {},
  ): Promise<LanceDbStore> {
    const connection = await lancedb.connect(directory);
    return new LanceDbStore(connection, tableName, dimensions, await openIfExists(connection, tableName), options);
  }

  private serialised<T>(write: () => Promise<T>): Promise<T> {
    return this.writes.run(write);
  }

  /** The tenant's table; created only when `create` (reads of an unknown tenant create nothing). */
  private async tenantTable(tenant: string, create: boolean): Promise<TenantTable | undefined> {
    if (this.legacy && !this.migrated.has(tenant)) await this.serialised(() => this.migrateLegacy(tenant));
    const known = this.tables.get(tenant);
    if (known) return known;
    const name = tenantTableName(this.prefix, tenant);
    const table = create ? await this.creator.create(name) : await openIfExists(this.connection, name);
    if (!table) return undefined;
    const entry = this.tables.get(tenant) ?? { table, indexesReady: false, rowsSinceOptimize: 0 };
    this.tables.set(tenant, entry);
    return entry;
  }


  /**
   * Forgets a tenant's table handle after a commit conflict (another process changed the table in
   * a way this handle cannot build on), so the activity's retry works on a freshly opened table.
   */
  private forgetOnConflict(tenant: string, error: unknown): void {
    const conflict = /incompatible transaction|commit conflict|concurrent transaction/i;
    if (!(error instanceof Error) || !conflict.test(error.message)) return;
    this.tables.get(tenant)?.table.close();
    this.tables.delete(tenant);
  }

  /** Moves a tenant's rows from the legacy shared table into its own table (once per process). */
  private async migrateLegacy(tenant: string): Promise<void> {
    if (!this.legacy || this.migrated.has(tenant)) return;
    const rows = await legacyRows(this.legacy, tenant);
    if (rows.length > 0) {
      const table = await this.creator.create(tenantTableName(this.prefix, tenant));
      // Merge on id: two processes migrating at once write the same rows, never duplicates.
      await table.mergeInsert('id').whenNotMatchedInsertAll().execute(rows);
      await this.legacy.delete(`tenant = ${literal(tenant)}`);
      table.close();
    }
    this.migrated.add(tenant);
  }

  async upsert(chunks: readonly EmbeddedChunk[]): Promise<void> {
    for (const [tenant, rows] of groupChunks(chunks, (chunk) => chunk.tenant)) {
      const entry = (await this.tenantTable(tenant, true))!;
      await this.serialised(async () => {
        // A stored row of a higher version stays: the newer ingest of a document wins (settleDocument).
        try {
          await entry.table.mergeInsert('id').whenMatchedUpdateAll({ where: 'target.version <= source.version' })
            .whenNotMatchedInsertAll().execute(rows.map(toRow));
        } catch (error) {
          this.forgetOnConflict(tenant, error);
          throw error;
        }
        entry.rowsSinceOptimize += rows.length;
        await this.ensureIndexes(entry);
        // Rows written after an index was built are still searched (flat); folding them into the
        // index now and then keeps queries fast without rebuilding it on every write.
        if (entry.rowsSinceOptimize >= this.optimizeEveryRows) await this.optimizeTable(entry);
      });
    }
  }

  /** Creates the indexes once the table has rows (LanceDB cannot train them on an empty table). */
  private async ensureIndexes(entry: TenantTable): Promise<void> {
    if (entry.indexesReady) return;
    const existing = new Set((await entry.table.listIndices()).flatMap((index) => index.columns));
    if (!existing.has('text')) await entry.table.createIndex('text', { config: lancedb.Index.fts() });
    if (!existing.has('document_id')) await entry.table.createIndex('document_id', { config: lancedb.Index.btree() });
    entry.indexesReady = true;
  }

  private async optimizeTable(entry: TenantTable): Promise<void> {
    await entry.table.optimize();
    entry.rowsSinceOptimize = 0;
  }

  /** Folds recent writes into the indexes and compacts files; cheap to call after a large ingest. */
  async optimize(): Promise<void> {
    await this.serialised(async () => {
      for (const entry of this.tables.values()) await this.optimizeTable(entry);
    });
  }

  async deleteDocument(tenant: string, documentId: string, keepIds: readonly string[] = []): Promise<number> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return 0;
    let predicate = `tenant = ${literal(tenant)} AND document_id = ${literal(documentId)}`;
    if (keepIds.length) predicate += ` AND id NOT IN (${keepIds.map(literal).join(', ')})`;
    return this.serialised(() => this.deleteWhere(entry.table, predicate));
  }

  private async deleteWhere(table: lancedb.Table, predicate: string): Promise<number> {
    const before = await table.countRows(predicate);
    if (before > 0) await table.delete(predicate);
    return before;
  }

  async settleDocument(tenant: string, documentId: string, version: number): Promise<SettledDocument> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return { removed: 0, superseded: false };
    const document = `tenant = ${literal(tenant)} AND document_id = ${literal(documentId)}`;
    return this.serialised(async () => {
      const removed = await this.deleteWhere(entry.table, `${document} AND ${olderThan(version)}`);
      const superseded = (await entry.table.countRows(`${document} AND version > ${version}`)) > 0;
      if (superseded) await this.deleteWhere(entry.table, `${document} AND version = ${version}`);
      return { removed, superseded };
    });
  }

  async listDocuments(tenant: string, source: string): Promise<string[]> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return [];
    const rows = (await entry.table.query()
      .where(`tenant = ${literal(tenant)} AND source = ${literal(source)}`)
      .select(['document_id'])
      .toArray()) as Row[];
    return [...new Set(rows.map((row) => String(row.document_id)))].sort();
  }

  async hasTenant(tenant: string): Promise<boolean> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return false;
    return (await entry.table.query()
      .where(`tenant = ${literal(tenant)}`)
      .select(['id'])
      .limit(1)
      .toArray()).length > 0;
  }

  async count(tenant: string, documentId?: string): Promise<number> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return 0;
    let predicate = `tenant = ${literal(tenant)}`;
    if (documentId !== undefined) predicate += ` AND document_id = ${literal(documentId)}`;
    return entry.table.countRows(predicate);
  }

  async search(rawQuery: SearchQuery): Promise<ScoredChunk[]> {
    const query = normaliseQuery(rawQuery);
    const entry = await this.tenantTable(query.tenant, false);
    if (!entry) return [];
    let filter = `tenant = ${literal(query.tenant)}`;
    if (query.documentIds) {
      if (query.documentIds.length === 0) return [];
      filter += ` AND document_id IN (${query.documentIds.map(literal).join(', ')})`;
    }
    if (query.mode === 'dense') {
      return (await this.denseSearch(entry, query.vector!, filter, query.topK))
        .map(({ row, score }) => fromRow(row, score));
    }
    if (query.mode === 'lexical') {
      return (await this.lexicalSearch(entry, query.text, filter, query.topK))
        .map(({ row, score }) => fromRow(row, score));
    }
    const candidates = Math.max(query.topK * 4, 20);
    const [dense, lexical] = await Promise.all([
      this.denseSearch(entry, query.vector!, filter, candidates),
      this.lexicalSearch(entry, query.text, filter, candidates),
    ]);
    return reciprocalRankFusion([lexical.map(({ row }) => row), dense.map(({ row }) => row)], (row) => String(row.id))
      .slice(0, query.topK)
      .map(({ item, score }) => fromRow(item, score));
  }

  private async denseSearch(
    entry: TenantTable, vector: number[], filter: string, limit: number,
  ): Promise<{ row: Row; score: number }[]> {
    const rows = (await entry.table.vectorSearch(vector)
      .distanceType('cosine')
      .where(filter)
      .limit(limit)
      .toArray()) as Row[];
    return rows.map((row) => ({ row, score: 1 - Number(row._distance) }));
  }

  private async lexicalSearch(
    entry: TenantTable, text: string, filter: string, limit: number,
  ): Promise<{ row: Row; score: number }[]> {
    // Only plain terms reach the full-text engine: quotes and operators in a user's query can
    // neither change the query's meaning nor make it fail to parse.
    const terms = contentTokens(text).join(' ');
    if (!terms) return [];
    if (!entry.indexesReady && !(await entry.table.listIndices()).some((index) => index.columns.includes('text'))) {
      return [];
    }
    const rows = (await entry.table.search(terms, 'fts').where(filter).limit(limit).toArray()) as Row[];
    return rows.map((row) => ({ row, score: Number(row._score) }));
  }

  async close(): Promise<void> {
    await this.writes.drained();
    for (const entry of this.tables.values()) entry.table.close();
    this.tables.clear();
    this.legacy?.close();
    this.legacy = undefined;
  }
}
