import {
  pairFeatures, paraphraseInputs, vetoFeatures, type ParaphraseFeatures,
} from './paraphrase-features';
import { loadParaphraseModel, paraphraseProbability, type ParaphraseModel } from './paraphrase-model';
import paraphraseModelFile from './paraphrase-model.json';

// Decides whether question B is a paraphrase of an earlier question A, so A's cached answer may
// be reused. A logistic model weighs the embedding cosine against lexical features (unshared words
// weighted by rarity, character and word-pair overlap, numbers, names); hard vetoes say where the
// meaning differs despite a high score (another number, a negation, swapped roles, another place or
// product). Pure functions: the caller supplies the cosine of the two L2-normalised embeddings.
// The model and its default threshold are fitted by scripts/train-paraphrase-matcher.ts on the
// tuning split of ../shared/eval/paraphrase/dev.jsonl; bench/cache/paraphrase-curve.ts measures
// them on the held-out split.

export { paraphraseInputs, vetoFeatures, type ParaphraseFeatures } from './paraphrase-features';
export type { ParaphraseModel } from './paraphrase-model';

/** The shipped model (paraphrase-model.json), validated when this module loads. */
export const paraphraseModel: ParaphraseModel = loadParaphraseModel(paraphraseModelFile);

/** Below this cosine no pair matches, whatever the score (stored in the model file). */
export const paraphraseMinimumCosine = paraphraseModel.minimumCosine;

/**
 * Default score threshold (a route's `cache.minScore` replaces it): chosen by the training script
 * on cross-validated scores of the tuning split, the highest precision with recall >= 0.45, a margin
 * over the 0.40 goal. Its held-out figures are the bench's and the README's.
 */
export const defaultParaphraseThreshold = paraphraseModel.threshold;

/** Features of one pair; `cosine` is the embedding similarity of a and b. */
export function paraphraseFeatures(
  a: string, b: string, cosine: number, model: ParaphraseModel = paraphraseModel,
): ParaphraseFeatures {
  return pairFeatures(a, b, cosine, model.idf);
}

/** Probability that the pair are paraphrases, from the logistic model. */
export function paraphraseScore(features: ParaphraseFeatures, model: ParaphraseModel = paraphraseModel): number {
  return paraphraseProbability(model, paraphraseInputs(features));
}

export interface ParaphraseMatch {
  /** True when the cached answer for a may be served for b. */
  match: boolean;
  /** The model's probability in [0, 1]; 1 for a repeat of the same words. */
  score: number;
  /** Names of the veto features that fired (empty on a match). */
  vetoes: string[];
}

const normalised = (text: string): string =>
  (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');

/** Whether b is a paraphrase of a; `cosine` is their embedding similarity. */
export function matchParaphrase(
  a: string,
  b: string,
  cosine: number,
  threshold: number = defaultParaphraseThreshold,
  model: ParaphraseModel = paraphraseModel,
): ParaphraseMatch {
  // The same question asked again (up to case, spacing and punctuation) is always a hit.
  if (normalised(a) === normalised(b)) return { match: true, score: 1, vetoes: [] };
  const features = paraphraseFeatures(a, b, cosine, model);
  const score = paraphraseScore(features, model);
  const vetoes = vetoFeatures.filter((name) => features[name] > 0);
  const match = cosine >= model.minimumCosine && score >= threshold && vetoes.length === 0;
  return { match, score, vetoes: [...vetoes] };
}
