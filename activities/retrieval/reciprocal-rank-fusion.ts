/**
 * Reciprocal rank fusion: score(d) = Σ w_i / (k + rank_i(d)) over the ranked lists that hold d, with
 * each list's weight w_i (1 when `weights` is absent). Fuses rankings without calibrating their
 * incomparable scores; the stores fuse by score instead (score-fusion.ts), and the retrieval
 * quality bench keeps this as the baseline it is measured against.
 */
export function reciprocalRankFusion<T>(
  rankings: readonly (readonly T[])[], keyOf: (item: T) => string, k = 60, weights?: readonly number[],
): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>();
  rankings.forEach((ranking, list) => {
    const weight = weights?.[list] ?? 1;
    ranking.forEach((item, rank) => {
      const key = keyOf(item);
      const entry = fused.get(key) ?? { item, score: 0 };
      entry.score += weight / (k + rank + 1);
      fused.set(key, entry);
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
