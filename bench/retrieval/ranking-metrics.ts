/** Rank-based retrieval metrics for one relevant document per question (SQuAD-style sets). */

/** 1-based rank of `relevant` in a ranking of document ids (duplicates collapsed), or undefined. */
export function rankOf(rankedDocumentIds: readonly string[], relevant: string): number | undefined {
  const seen = new Set<string>();
  for (const id of rankedDocumentIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (id === relevant) return seen.size;
  }
  return undefined;
}

/** Whether the relevant document is within the first k distinct documents. */
export const recallAt = (rank: number | undefined, k: number): number => (rank !== undefined && rank <= k ? 1 : 0);

/** nDCG@k with binary relevance and one relevant document: the ideal DCG is 1. */
export const ndcgAt = (rank: number | undefined, k: number): number => (rank !== undefined && rank <= k ? 1 / Math.log2(rank + 1) : 0);

/** Mean of per-question values, rounded to four places for printing. */
export const mean = (values: readonly number[]): number => Math.round((values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)) * 10_000) / 10_000;
