import { contentTokens, fnv1a, stemToken } from './tokenize';

/** A sparse vector: term ids (hashed stems) with weights, sorted by id. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

// BM25's term-frequency saturation; without corpus statistics the length normalisation is
// left out (b = 0). The IDF half is applied by the store (Qdrant's `idf` modifier).
const k1 = 1.2;

function termCounts(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const token of contentTokens(text)) {
    const id = fnv1a(stemToken(token));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function toSparse(entries: Iterable<[number, number]>): SparseVector {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  return { indices: sorted.map(([id]) => id), values: sorted.map(([, value]) => value) };
}

/** Document side of BM25 as a sparse vector: saturated term frequencies. */
export function documentTerms(text: string): SparseVector {
  return toSparse([...termCounts(text)].map(([id, count]) => [id, (count * (k1 + 1)) / (count + k1)] as [number, number]));
}

/** Query side: each distinct term once, so the dot product sums the matched document weights. */
export function queryTerms(text: string): SparseVector {
  return toSparse([...termCounts(text).keys()].map((id) => [id, 1] as [number, number]));
}
