/**
 * Reciprocal rank fusion: score(d) = Σ 1 / (k + rank_i(d)) over the ranked lists that hold d.
 * Fuses lexical and dense rankings without calibrating their incomparable scores.
 */
export function reciprocalRankFusion<T>(rankings: readonly (readonly T[])[], keyOf: (item: T) => string, k = 60): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>();
  for (const ranking of rankings) {
    ranking.forEach((item, rank) => {
      const key = keyOf(item);
      const entry = fused.get(key) ?? { item, score: 0 };
      entry.score += 1 / (k + rank + 1);
      fused.set(key, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
