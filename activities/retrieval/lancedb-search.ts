import type * as lancedb from '@lancedb/lancedb';
import type { Row } from './lancedb-tables';
import { tuneVectorSearch } from './lancedb-vector-index';

/**
 * One hit of a ranking, read in one of two ways. Ranked by row id, a search reads no column at
 * all: at 100k chunks, reading the result columns of fusion's 60 candidates per ranking cost more
 * than the ranking itself (dense p50 5 → 13 ms, lexical 2 → 11 ms with the tenant filter), so
 * only the few rows that survive fusion are read, by row id, afterwards. A row id names a row in
 * one table version only, hence `rows`, which reads the columns in the same query, for callers
 * that cannot hold the version still.
 */
export interface RankedHit {
  /** The row id (`rowId` reads) or the chunk id (`rows` reads): what fusion merges the rankings on. */
  key: string;
  rowId?: bigint;
  row?: Row;
  score: number;
  /** Cosine similarity to the query, when a dense ranking scored the hit (ScoredChunk.similarity). */
  similarity?: number;
}

/** What a ranking reads back: the row id only, or these columns with each hit. */
export type RankingRead = { kind: 'rowId' } | { kind: 'rows'; columns: readonly string[] };

/** Dense (cosine) hits of `vector`; an indexed table is searched with the parameters of lancedb-vector-index.ts. */
export async function denseRanking(
  table: lancedb.Table, vector: number[], filter: string | undefined, limit: number, read: RankingRead,
): Promise<RankedHit[]> {
  let query = tuneVectorSearch(table.vectorSearch(vector).distanceType('cosine'), limit);
  if (filter) query = query.where(filter);
  const rows = (await selectFor(query, read, '_distance').limit(limit).toArray()) as Row[];
  return rows.map((row) => hitOf(row, read, 1 - Number(row._distance)));
}

/** BM25 hits of `terms` (plain words, already stripped of query syntax) through the full-text index. */
export async function lexicalRanking(
  table: lancedb.Table, terms: string, filter: string | undefined, limit: number, read: RankingRead,
): Promise<RankedHit[]> {
  let query = table.search(terms, 'fts');
  if (filter) query = query.where(filter);
  const rows = (await selectFor(query, read, '_score').limit(limit).toArray()) as Row[];
  return rows.map((row) => hitOf(row, read, Number(row._score)));
}

/** The rows with these ids, by row id; ids not in the table's current version are absent. */
export async function rowsByRowId(
  table: lancedb.Table, rowIds: readonly bigint[], columns: readonly string[],
): Promise<Map<bigint, Row>> {
  if (rowIds.length === 0) return new Map();
  const rows = (await table.takeRowIds(rowIds).select([...columns]).withRowId().toArray()) as Row[];
  return new Map(rows.map((row) => [BigInt(row._rowid as bigint), row]));
}

// The score columns are named too: LanceDB will stop adding them to a selection itself.
function selectFor<Query extends lancedb.VectorQuery | lancedb.Query | lancedb.AutoQuery>(
  query: Query, read: RankingRead, scoreColumn: string,
): Query {
  if (read.kind === 'rows') return query.select([...read.columns, scoreColumn]) as Query;
  return query.select([scoreColumn]).withRowId() as Query;
}

function hitOf(row: Row, read: RankingRead, score: number): RankedHit {
  if (read.kind === 'rows') return { key: String(row.id), row, score };
  const rowId = BigInt(row._rowid as bigint);
  return { key: rowId.toString(), rowId, score };
}
