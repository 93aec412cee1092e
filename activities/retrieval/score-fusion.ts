/** One ranked list to fuse: its items best first, their higher-is-better scores, and its weight. */
export interface WeightedRanking<T> {
  items: readonly T[];
  scoreOf: (item: T) => number;
  weight: number;
  /**
   * Score of a candidate this ranking did not return. BM25 knows it: 0, no query term in the chunk.
   * @default the ranking's lowest returned score (all a truncated similarity ranking can say)
   */
  floor?: number;
}

/**
 * Candidates each ranking contributes to a hybrid search. Fixed rather than a multiple of topK: the
 * standardised scores depend on how deep each list goes, so a fixed depth makes a chunk's fused
 * score (and the weight tuned for it, bench/retrieval/quality.ts) the same whatever topK asks for.
 */
export const fusionDepth = (topK: number): number => Math.max(topK, 60);

// A weak dense model (MiniLM: recall@1 0.69 against lexical 0.84 on the RAG dev set) still helps
// when its scores count for half of BM25's, while equal-weight rank fusion let it pull good lexical
// hits down. Chosen by bench/retrieval/quality.ts on the tuning split (questions whose text hash is
// not 0 mod 5). The hashing embedder's "dense" ranking is a worse copy of the lexical one: on the
// tuning split no weight beats 0 by more than a question, so it adds nothing but candidates.
const modelDenseWeight = 0.5;
const hashingDenseWeight = 0;

/**
 * Weight of the dense ranking against the lexical one (weight 1) in a hybrid search, by embedder id
 * (or a table name that carries it, as the workers name them: `chunks_hashing_256`).
 */
export function defaultDenseWeight(embedderIdOrTableName: string): number {
  return /hashing/i.test(embedderIdOrTableName) ? hashingDenseWeight : modelDenseWeight;
}

/**
 * A hit's dense similarity in a hybrid search, by its key: its score in the dense ranking, or the lowest
 * score that ranking returned (an upper bound) for a hit only the lexical ranking found; undefined when the
 * dense ranking returned nothing.
 */
export function denseSimilarityOf<T>(
  dense: readonly T[], keyOf: (item: T) => string, scoreOf: (item: T) => number,
): (key: string) => number | undefined {
  const scores = new Map(dense.map((item) => [keyOf(item), scoreOf(item)]));
  const floor = dense.length ? Math.min(...scores.values()) : undefined;
  return (key) => scores.get(key) ?? floor;
}

/** Scores moved to mean 0 and scaled to standard deviation 1 (all 0 when they are all equal). */
function standardised(scores: readonly number[]): number[] {
  const mean = scores.reduce((sum, score) => sum + score, 0) / Math.max(1, scores.length);
  const spread = Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / Math.max(1, scores.length));
  return scores.map((score) => (spread > 0 ? (score - mean) / spread : 0));
}

/**
 * Weighted score fusion: every ranking scores every candidate (one it did not return gets its
 * floor), each ranking's scores are standardised over the candidates (z-scores, so BM25's unbounded
 * scores and cosine similarities become comparable), and the fused score is their weighted sum.
 * Unlike rank fusion it keeps how far ahead a clear winner is: the one chunk holding a rare query
 * term stands far above the rest of the lexical scores, so a weak dense ranking cannot overturn it.
 */
export function weightedScoreFusion<T>(
  rankings: readonly WeightedRanking<T>[], keyOf: (item: T) => string,
): { item: T; score: number }[] {
  const lists = rankings.filter((ranking) => ranking.items.length > 0);
  const candidates = new Map<string, T>();
  for (const ranking of lists) {
    for (const item of ranking.items) if (!candidates.has(keyOf(item))) candidates.set(keyOf(item), item);
  }
  const keys = [...candidates.keys()];
  const fused = new Array<number>(keys.length).fill(0);
  for (const ranking of lists) {
    const scores = new Map(ranking.items.map((item) => [keyOf(item), ranking.scoreOf(item)]));
    const floor = ranking.floor ?? Math.min(...scores.values());
    standardised(keys.map((key) => scores.get(key) ?? floor)).forEach((score, index) => {
      fused[index]! += ranking.weight * score;
    });
  }
  // Shifted so the weakest candidate scores 0: scores stay positive, best first, and a share of the best
  // (a route's context.minRelativeScore) is the share of the candidates' spread a passage keeps.
  const lowest = Math.min(...fused);
  return keys.map((key, index) => ({ item: candidates.get(key)!, score: fused[index]! - lowest }))
    .sort((a, b) => b.score - a.score);
}
