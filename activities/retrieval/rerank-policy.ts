import type { RerankPolicy, ScoredChunk, SearchMode } from '../../contracts/retrieval';

/**
 * The gap between the hybrid ranking's first two fused scores under which `rerank: 'uncertain'` asks the
 * reranker. Chosen on the tuning questions of the RAG eval (sha256 rule of the gate benches; MiniLM, the
 * default fusion, the local cross-encoder) as the gap with the best recall@1: tuning 0.879 (never) / 0.922
 * (always) → 0.935 reranking 35% of questions; held out 0.775 / 0.825 → 0.850 reranking 50% (40
 * questions). A clear first place is one the cross-encoder mostly agrees with, and where it disagrees it
 * was wrong about as often as right.
 */
export const uncertainRankingMargin = 1.7;

/** Whether a search's candidates, best first, go through the reranker under the request's policy. */
export function wantsRerank(policy: RerankPolicy | undefined, mode: SearchMode, candidates: readonly ScoredChunk[]) {
  if (!policy) return false;
  if (policy === true || mode !== 'hybrid') return true;
  return candidates.length > 1 && candidates[0]!.score - candidates[1]!.score < uncertainRankingMargin;
}
