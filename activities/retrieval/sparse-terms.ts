import stem from 'wink-porter2-stemmer';
import { contentTokens, fnv1a } from './tokenize';

/** A sparse vector: term ids (hashed stems) with weights, sorted by id. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

// BM25's term-frequency saturation and length normalisation. The IDF half is applied by the
// store (Qdrant's `idf` modifier), so only these two halves live in the vectors.
const k1 = 1.2;
const b = 0.75;

/**
 * BM25 needs an average document length. The vectors are written once per chunk, so the weight
 * must not depend on what else is stored: a running per-tenant average would make the same chunk
 * weigh differently depending on ingest order and worker, and leave older points weighted against
 * a stale average. Chunks are cut to a bounded size (200 tokens), so their length is narrow and a
 * fixed reference close to the typical chunk serves as avgdl: measured 73 content terms mean, 75
 * median over examples/corpus and the RAG eval corpus (227 chunks). Short chunks are then
 * boosted and long ones damped as BM25 intends, deterministically.
 */
export const bm25ReferenceLength = 80;

const maxStemmedLength = 40;

/** Porter2 (Snowball English) stem of a lower-cased token: "process", "processes", "processing" → "process". */
export function stemTerm(token: string): string {
  // The stemmer's regexes take seconds on a token of thousands of characters (a base64 blob):
  // no word is that long, so such tokens are kept as they are.
  return token.length > maxStemmedLength ? token : stem(token);
}

function termCounts(text: string): { counts: Map<number, number>; length: number } {
  const counts = new Map<number, number>();
  const tokens = contentTokens(text);
  for (const token of tokens) {
    const id = fnv1a(stemTerm(token));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return { counts, length: tokens.length };
}

function toSparse(entries: Iterable<[number, number]>): SparseVector {
  const sorted = [...entries].sort((x, y) => x[0] - y[0]);
  return { indices: sorted.map(([id]) => id), values: sorted.map(([, value]) => value) };
}

/** Document side of BM25 as a sparse vector: term frequencies saturated and normalised by length. */
export function documentTerms(text: string, averageLength = bm25ReferenceLength): SparseVector {
  const { counts, length } = termCounts(text);
  const norm = k1 * (1 - b + (b * length) / averageLength);
  return toSparse([...counts].map(([id, count]) => [id, (count * (k1 + 1)) / (count + norm)] as [number, number]));
}

/** Query side: each distinct term once, so the dot product sums the matched document weights. */
export function queryTerms(text: string): SparseVector {
  return toSparse([...termCounts(text).counts.keys()].map((id) => [id, 1] as [number, number]));
}
