import * as lancedb from '@lancedb/lancedb';

/**
 * The dense (ANN) index of a tenant table: HNSW over scalar-quantised (8-bit) vectors, cosine.
 * Chosen by measurement on 384-d hashing-embedder vectors (bench/retrieval/ann-recall.ts measures
 * the choice): IVF partitions of these vectors are poor clusters (IVF-flat, 100 partitions at 10k
 * rows: recall@10 0.92 with 40 probes), IVF-PQ needed 40 probes and a refine factor of 10 for
 * 0.985 at twice HNSW-SQ's latency, while HNSW-SQ with an exact re-rank of its candidates
 * (refineFactor) kept recall@10 ≥ 0.98 at 10k and 100k rows.
 */
export const vectorColumn = 'vector';

/**
 * Rows from which a table gets a vector index. Brute force grows linearly with the table: dense
 * p50 was 13-19 ms at 10k rows and 85-157 ms at 100k on a loaded 2-core machine (HNSW-SQ: 5-7 ms
 * and 13-19 ms). Below about 10k rows a flat scan costs a few ms, about what the index saves,
 * while a build costs 3-5 s of every core (about 100 s at 100k rows).
 */
export const defaultVectorIndexMinRows = 10_000;

/** One HNSW graph up to a million rows (LanceDB's advice); more partitions bound training memory. */
export function vectorIndexConfig(rows: number): lancedb.Index {
  return lancedb.Index.hnswSq({ distanceType: 'cosine', numPartitions: Math.max(1, Math.ceil(rows / 1_000_000)) });
}

/**
 * How an indexed search is run: the graph (beam width `ef`) yields about `refinedCandidates`
 * candidates by quantised distance, which are re-ranked by exact cosine distance; SQ error alone
 * kept recall@10 near 0.94. At 100k rows, through the store (ef 320, topK 10, 200 queries in
 * ann-recall.ts), 160 re-ranked candidates gave recall@10 0.986-0.987 and 80 gave 0.989 with dense
 * p50 10.8 → 9.5 ms (re-ranking reads each candidate's float vector); an earlier probe at ef 300 had
 * 80 at 0.97, so the choice rests on ann-recall.ts and the unit test's floor.
 * Rows written after the index was built are searched flat and merged in.
 */
export const refinedCandidates = 80;
export const vectorSearchEf = 320;

/** Applies the search parameters above; without a vector index LanceDB ignores them (flat search). */
export function tuneVectorSearch(query: lancedb.VectorQuery, limit: number): lancedb.VectorQuery {
  return query.ef(vectorSearchEf)
    .refineFactor(Math.max(2, Math.ceil(refinedCandidates / Math.max(1, limit))));
}

/** The table's vector index on the vector column, or undefined without one. */
export async function vectorIndexOf(table: lancedb.Table): Promise<lancedb.IndexConfig | undefined> {
  return (await table.listIndices()).find((index) => index.columns.includes(vectorColumn));
}

/** Whether the table has a vector index on the vector column. */
export async function hasVectorIndex(table: lancedb.Table): Promise<boolean> {
  return (await vectorIndexOf(table)) !== undefined;
}
