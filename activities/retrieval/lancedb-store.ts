import * as lancedb from '@lancedb/lancedb';
import { log } from '@temporalio/activity';
import type { ScoredChunk } from '../../contracts/retrieval';
import {
  chunkSchema, legacyRows, literal, openIfExists, TableCreator, tenantTableName, toRow, WriteQueue, type Row,
} from './lancedb-tables';
import { TableUpkeep, warnUpkeepFailed, type UpkeepSettings } from './lancedb-upkeep';
import {
  denseRanking, lexicalRanking, rowsByRowId, type RankedHit, type RankingRead,
} from './lancedb-search';
import { defaultVectorIndexMinRows, hasVectorIndex, vectorIndexOf } from './lancedb-vector-index';
import { defaultDenseWeight, denseSimilarityOf, fusionDepth, weightedScoreFusion } from './score-fusion';
import { acquireStoreLock, type StoreLock } from './store-lock';
import { contentTokens } from './tokenize';
import {
  groupChunks, normaliseQuery, type EmbeddedChunk, type SearchQuery, type SettledDocument, type VectorStore,
} from './vector-store';

// What a search reads back: never the vector (1.5 KB a row), which neither fusion nor callers use. The
// score columns (`_distance`, `_score`) are named too: LanceDB will stop adding them to a selection itself.
const resultColumns = ['id', 'tenant', 'document_id', 'chunk_index', 'title', 'source', 'text'];

/** A ranked hit with its row read back (absent when the row is gone from the table's version). */
type ReadHit = Pick<RankedHit, 'score' | 'similarity'> & { row?: Row };

function fromRow(row: Row, score: number, similarity: number | undefined): ScoredChunk {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    documentId: String(row.document_id),
    chunkIndex: Number(row.chunk_index),
    title: String(row.title), source: String(row.source), text: String(row.text), score,
    ...(similarity !== undefined ? { similarity } : {}),
  };
}

export interface LanceDbStoreOptions {
  /**
   * Rows written to a tenant's table since its last optimize after which indexes are folded in again.
   * @default 20000
   */
  optimizeEveryRows?: number;
  /**
   * Commits (upserts, deletes) to a tenant's table since its last optimize after which it is
   * compacted again. LanceDB's own advice is to optimize after about 20 modifications; measured
   * here, each small fragment adds about 0.35 ms to a hybrid search, while an optimize of a 10k-row
   * table takes about 60 ms (360 ms at 100k rows), so 20 keeps both costs small.
   * @default 20
   */
  optimizeEveryWrites?: number;
  /**
   * How long a version replaced by a write stays on disk for searches still reading it, in ms.
   * @default 60000
   */
  keepReplacedVersionsMs?: number;
  /**
   * Rows from which a tenant's table gets a vector index (HNSW-SQ, cosine), built in the background;
   * below it dense search is brute force, fast enough there. `Infinity` never builds one.
   * @default 10000
   */
  vectorIndexMinRows?: number;
  /**
   * Weight of the dense ranking against the lexical one (1) when hybrid search fuses them.
   * @default by the embedder id the table name carries: 0 for the hashing embedder, else 0.5 (score-fusion.ts)
   */
  denseWeight?: number;
  /**
   * How many times a search ranks by row id before it falls back to reading the columns in the ranking
   * queries (each commit between a ranking and its read starts it again); 0 always reads columns.
   * @default 3
   */
  rowIdSearchAttempts?: number;
  /**
   * Told of a background optimize or vector index build that failed (it is retried later).
   * @default a warning in the log
   */
  onOptimizeError?: (error: unknown) => void;
}

/** A tenant table's shape, as `tableStats` reports it. */
export interface TableStats {
  rows: number;
  fragments: number;
  smallFragments: number;
  vectorIndexSegments: number;
}

/** One tenant's table and what this process knows of its indexes. */
interface TenantTable {
  table: lancedb.Table;
  indexesReady: boolean;
  upkeep: TableUpkeep;
}

// Every read starts from the table's latest version (a manifest check, no measurable cost): stores
// of one process on one directory see each other's writes, and no handle lingers on a version
// that upkeep has since pruned.
const readConsistencyIntervalSeconds = 0;

/** A tenant's table held rows of another tenant: they were left out of its results (they can only come from a bug). */
function warnForeignRows(tenant: string, count: number): void {
  const message = `${count} row(s) of another tenant in the table of ${JSON.stringify(tenant)} left out of a search`;
  try {
    log.error(message, { store: 'lancedb', tenant });
  } catch {
    process.emitWarning(message, 'SluiceTenantIsolation');
  }
}

// Rows stored before `version` existed count as version 0 (a NULL is treated the same way).
const olderThan = (version: number): string => `(version IS NULL OR version < ${version})`;

/**
 * The embedded default store: one LanceDB table per tenant on local disk, each with a BM25
 * full-text index on the text, a btree index on document, and dense cosine search. A table per
 * tenant keeps BM25's term statistics (document frequencies, average length) per tenant, so one
 * tenant's documents never change another tenant's lexical scores; every row a search returns is
 * checked to be the tenant's, as defence in depth. Hybrid search fuses both rankings' standardised
 * scores, weighted.
 * Stores written before tables were per tenant keep their shared table; a tenant's rows move out
 * of it into the tenant's own table the first time this process touches that tenant.
 *
 * One process per directory: each process would keep its own view of the tables (a delete seen by
 * one, not the other) and their commits would conflict, so `open` takes the directory's lock file
 * and a second process gets a StoreLockedError. Stores opened on one directory within a process
 * share the lock and one write queue. Several workers need Qdrant.
 */
export class LanceDbStore implements VectorStore {
  readonly name = 'lancedb';
  // LanceDB commits are optimistic; serialising this process's writes avoids commit conflicts.
  private readonly writes: WriteQueue;
  private readonly tables = new Map<string, TenantTable>();
  private readonly creator: TableCreator;
  private readonly migrated = new Set<string>();
  private readonly upkeep: UpkeepSettings;
  private readonly denseWeight: number;
  private readonly rowIdSearchAttempts: number;

  private constructor(
    private readonly connection: lancedb.Connection,
    private readonly prefix: string,
    dimensions: number,
    private legacy: lancedb.Table | undefined,
    private readonly lock: StoreLock,
    options: LanceDbStoreOptions,
  ) {
    this.writes = lock.writes;
    this.denseWeight = options.denseWeight ?? defaultDenseWeight(prefix);
    this.rowIdSearchAttempts = options.rowIdSearchAttempts ?? 3;
    this.upkeep = {
      everyRows: options.optimizeEveryRows ?? 20_000,
      everyWrites: options.optimizeEveryWrites ?? 20,
      keepReplacedVersionsMs: options.keepReplacedVersionsMs ?? 60_000,
      vectorIndexMinRows: options.vectorIndexMinRows ?? defaultVectorIndexMinRows,
      vectorIndexBuilds: new WriteQueue(),
      onError: options.onOptimizeError ?? warnUpkeepFailed,
    };
    this.creator = new TableCreator(connection, chunkSchema(dimensions));
  }

  /**
   * Opens the store under `directory`; `tableName` prefixes the tenants' tables (and names the
   * legacy shared one). Throws StoreLockedError while another live process has the directory open.
   */
  static async open(
    directory: string,
    tableName: string,
    dimensions: number,
    options: LanceDbStoreOptions = {},
  ): Promise<LanceDbStore> {
    const lock = acquireStoreLock(directory);
    try {
      const connection = await lancedb.connect(directory, { readConsistencyInterval: readConsistencyIntervalSeconds });
      const legacy = await openIfExists(connection, tableName);
      return new LanceDbStore(connection, tableName, dimensions, legacy, lock, options);
    } catch (error) {
      lock.release();
      throw error;
    }
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
    const entry = this.tables.get(tenant)
      ?? { table, indexesReady: false, upkeep: new TableUpkeep(table, this.upkeep) };
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
    const entry = this.tables.get(tenant);
    entry?.upkeep.close();
    entry?.table.close();
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
        await this.ensureIndexes(entry);
        // Rows written after an index was built are still searched (flat), and every commit adds
        // fragments: the table is optimized after enough of them, behind this write, not within it.
        entry.upkeep.afterWrite(rows.length, this.writes);
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

  /**
   * Folds recent writes into the indexes, compacts files and prunes old versions; the store also
   * does this by itself every few writes (see optimizeEveryWrites), so this is only a last step.
   */
  async optimize(tenant?: string): Promise<void> {
    const entries = tenant === undefined ? [...this.tables.values()] : [await this.tenantTable(tenant, false)];
    const open = entries.filter((entry): entry is TenantTable => entry !== undefined);
    // Compaction would rewrite the fragments an index build is reading: it waits for the build.
    await Promise.all(open.map((entry) => entry.upkeep.settled()));
    await this.serialised(async () => {
      for (const entry of open) await entry.upkeep.optimize();
    });
  }

  /** Resolves once the vector index builds in progress (started by writes) have ended. */
  async vectorIndexesSettled(): Promise<void> {
    await Promise.all([...this.tables.values()].map((entry) => entry.upkeep.settled()));
  }

  /** Whether a tenant's table has a vector index (dense search is brute force until it has). */
  async hasVectorIndex(tenant: string): Promise<boolean> {
    const entry = await this.tenantTable(tenant, false);
    return entry ? hasVectorIndex(entry.table) : false;
  }

  /**
   * Size of a tenant's table in rows and fragments (what upkeep keeps small), and the segments of its
   * vector index (0 without one), or undefined without a table.
   */
  async tableStats(tenant: string): Promise<TableStats | undefined> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return undefined;
    const stats = await entry.table.stats();
    const vectorIndex = await vectorIndexOf(entry.table);
    return {
      rows: stats.numRows, fragments: stats.fragmentStats.numFragments,
      smallFragments: stats.fragmentStats.numSmallFragments, vectorIndexSegments: vectorIndex?.numSegments ?? 0,
    };
  }

  async deleteDocument(tenant: string, documentId: string, keepIds: readonly string[] = []): Promise<number> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return 0;
    let predicate = `tenant = ${literal(tenant)} AND document_id = ${literal(documentId)}`;
    if (keepIds.length) predicate += ` AND id NOT IN (${keepIds.map(literal).join(', ')})`;
    return this.serialised(() => this.deleteWhere(entry, predicate));
  }

  private async deleteWhere(entry: TenantTable, predicate: string): Promise<number> {
    const before = await entry.table.countRows(predicate);
    if (before > 0) {
      await entry.table.delete(predicate);
      entry.upkeep.afterWrite(0, this.writes);
    }
    return before;
  }

  async settleDocument(tenant: string, documentId: string, version: number): Promise<SettledDocument> {
    const entry = await this.tenantTable(tenant, false);
    if (!entry) return { removed: 0, superseded: false };
    const document = `tenant = ${literal(tenant)} AND document_id = ${literal(documentId)}`;
    return this.serialised(async () => {
      const removed = await this.deleteWhere(entry, `${document} AND ${olderThan(version)}`);
      const superseded = (await entry.table.countRows(`${document} AND version > ${version}`)) > 0;
      if (superseded) await this.deleteWhere(entry, `${document} AND version = ${version}`);
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
    if (query.documentIds?.length === 0) return [];
    const scope = query.documentIds ? `document_id IN (${query.documentIds.map(literal).join(', ')})` : undefined;
    for (let attempt = 0; attempt < this.rowIdSearchAttempts; attempt += 1) {
      // Row ids name rows of one table version: a commit between the ranking and the read (the
      // version moved) makes the search start again, and a busy table falls back to reading columns.
      const version = await entry.table.version();
      const ranked = await this.ranked(entry, query, scope, { kind: 'rowId' });
      const rows = await rowsByRowId(entry.table, ranked.map((hit) => hit.rowId!), resultColumns);
      if ((await entry.table.version()) !== version) continue;
      return this.ownRows(query.tenant, ranked.map((hit) => ({ ...hit, row: rows.get(hit.rowId!) })));
    }
    const filter = [`tenant = ${literal(query.tenant)}`, ...(scope ? [scope] : [])].join(' AND ');
    const ranked = await this.ranked(entry, query, filter, { kind: 'rows', columns: resultColumns });
    return this.ownRows(query.tenant, ranked);
  }

  /** The query's top hits: one ranking, or both fused by their weighted standardised scores. */
  private async ranked(
    entry: TenantTable, query: ReturnType<typeof normaliseQuery>, filter: string | undefined, read: RankingRead,
  ): Promise<RankedHit[]> {
    if (query.mode === 'dense') {
      const hits = await denseRanking(entry.table, query.vector!, filter, query.topK, read);
      return hits.map((hit) => ({ ...hit, similarity: hit.score }));
    }
    if (query.mode === 'lexical') return this.lexicalSearch(entry, query.text, filter, query.topK, read);
    const candidates = fusionDepth(query.topK);
    const [dense, lexical] = await Promise.all([
      denseRanking(entry.table, query.vector!, filter, candidates, read),
      this.lexicalSearch(entry, query.text, filter, candidates, read),
    ]);
    const scoreOf = (hit: RankedHit) => hit.score;
    // A chunk the full-text search did not return shares no term with the query: its BM25 score is 0.
    const rankings = [
      { items: lexical, scoreOf, weight: 1, floor: 0 }, { items: dense, scoreOf, weight: this.denseWeight },
    ];
    const similarityOf = denseSimilarityOf(dense, (hit) => hit.key, scoreOf);
    return weightedScoreFusion(rankings, (hit) => hit.key)
      .slice(0, query.topK)
      .map(({ item, score }) => ({ ...item, score, similarity: similarityOf(item.key) }));
  }

  /**
   * The hits as chunks. Each table holds one tenant's rows, so the searches need no tenant filter
   * (it cost a 100k-chunk search 5-6 ms); a row of another tenant is still never returned.
   */
  private ownRows(tenant: string, hits: readonly ReadHit[]): ScoredChunk[] {
    const own = hits.filter((hit): hit is ReadHit & { row: Row } => hit.row?.tenant === tenant);
    if (own.length < hits.length) warnForeignRows(tenant, hits.length - own.length);
    return own.map(({ row, score, similarity }) => fromRow(row, score, similarity));
  }

  private async lexicalSearch(
    entry: TenantTable, text: string, filter: string | undefined, limit: number, read: RankingRead,
  ): Promise<RankedHit[]> {
    // Only plain terms reach the full-text engine: quotes and operators in a user's query can
    // neither change the query's meaning nor make it fail to parse.
    const terms = contentTokens(text).join(' ');
    if (!terms) return [];
    if (!entry.indexesReady && !(await entry.table.listIndices()).some((index) => index.columns.includes('text'))) {
      return [];
    }
    return lexicalRanking(entry.table, terms, filter, limit, read);
  }

  async close(): Promise<void> {
    await this.writes.drained();
    await this.vectorIndexesSettled();
    for (const entry of this.tables.values()) {
      entry.upkeep.close();
      entry.table.close();
    }
    this.tables.clear();
    this.legacy?.close();
    this.legacy = undefined;
    this.lock.release();
  }
}
