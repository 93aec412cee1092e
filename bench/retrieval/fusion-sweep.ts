// Chooses hybrid search's dense weight on the tuning questions only, and scores every weight on both
// splits, for the two fusions: weighted score fusion (what the stores run) and weighted reciprocal
// rank fusion (the baseline). The held-out questions never influence the choice.
import type { ScoredChunk } from '../../contracts/retrieval';
import { reciprocalRankFusion } from '../../activities/retrieval/reciprocal-rank-fusion';
import { weightedScoreFusion } from '../../activities/retrieval/score-fusion';
import { mean, ndcgAt, rankOf, recallAt } from './ranking-metrics';

/** One question's two rankings (chunks, best first) and its relevant document. */
export interface RankedQuestion {
  goldDocument: string;
  heldOut: boolean;
  lexical: ScoredChunk[];
  dense: ScoredChunk[];
}

/** Recall@1, recall@5 and nDCG@10 of document rankings. */
export interface RankingFigures {
  questions: number;
  'recall@1': number;
  'recall@5': number;
  'ndcg@10': number;
}

/** Dense weights tried (the lexical ranking weighs 1). */
export const denseWeights = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1, 1.5, 2] as const;

/** Figures of rankings of document ids against each question's gold document. */
export function figures(rankings: readonly { ranked: readonly string[]; goldDocument: string }[]): RankingFigures {
  const ranks = rankings.map(({ ranked, goldDocument }) => rankOf(ranked, goldDocument));
  return {
    questions: rankings.length, 'recall@1': mean(ranks.map((rank) => recallAt(rank, 1))),
    'recall@5': mean(ranks.map((rank) => recallAt(rank, 5))), 'ndcg@10': mean(ranks.map((rank) => ndcgAt(rank, 10))),
  };
}

/** The hybrid ranking of one question's chunks (as document ids) by a fusion and dense weight. */
export type Fusion = (question: RankedQuestion, denseWeight: number) => string[];

export const fusions: Record<string, Fusion> = {
  'weighted-score': ({ lexical, dense }, weight) => weightedScoreFusion([
    { items: lexical, scoreOf: (chunk) => chunk.score, weight: 1, floor: 0 },
    { items: dense, scoreOf: (chunk) => chunk.score, weight },
  ], (chunk) => chunk.id).map(({ item }) => item.documentId),
  'weighted-rrf': ({ lexical, dense }, weight) =>
    reciprocalRankFusion([lexical, dense], (chunk) => chunk.id, 60, [1, weight]).map(({ item }) => item.documentId),
};

/** Figures of one split of the questions under a ranking function. */
export function splitFigures(
  questions: readonly RankedQuestion[], heldOut: boolean, rank: (question: RankedQuestion) => string[],
): RankingFigures {
  return figures(questions.filter((question) => question.heldOut === heldOut)
    .map((question) => ({ ranked: rank(question), goldDocument: question.goldDocument })));
}

// Two weights this close on the tuning split (about one tuning question of recall@1) are a tie.
const tie = 0.005;

/**
 * The weight with the best recall@1 + nDCG@10 on the tuning split, or the smallest weight within a
 * tie of it: a gain of one question is noise, and a smaller dense weight is the safer default.
 */
export function chooseWeight(questions: readonly RankedQuestion[], fusion: Fusion): number {
  const values = denseWeights.map((weight) => {
    const tuning = splitFigures(questions, false, (question) => fusion(question, weight));
    return { weight, value: tuning['recall@1'] + tuning['ndcg@10'] };
  });
  const best = Math.max(...values.map(({ value }) => value));
  return values.find(({ value }) => value >= best - tie)!.weight;
}
