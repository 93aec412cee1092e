import { featureBuckets, hashedFeatures } from '../../activities/gates/text/hashed-features';
import { LinearModel, trainLogisticRegression } from '../../activities/gates/text/linear-model';
import { matchingText } from '../../activities/gates/text/normalise';
import { foldOf } from './metrics';

/**
 * Hyper-parameters of the gate classifiers; the training script and the benches share them. The
 * L2 penalty is ten times what it was with dev-set-only training: weaker surface-word weights
 * generalised better to the held-out benign text and held-out prompt templates.
 */
export const classifierHyperParameters = { epochs: 12, learningRate: 0.5, l2: 1e-4, positiveWeight: 1.3 };

/** A LinearModel from freshly trained weights (no pruning). */
export function modelFromWeights(name: string, trained: { weights: Float32Array; bias: number }): LinearModel {
  const weights: [number, number][] = [];
  trained.weights.forEach((weight, bucket) => {
    if (weight !== 0) weights.push([bucket, weight]);
  });
  return new LinearModel({ name, buckets: featureBuckets, bias: trained.bias, weights, trainedOn: {} });
}

/** A text with its label (1 = positive), for training rows that come from outside the scored file. */
export interface LabelledText {
  text: string;
  label: number;
}

/**
 * Out-of-fold probabilities: each row is scored by a classifier trained on the other k-1 folds
 * only, so the metrics computed from them never score a row the model was trained on. `extra`
 * rows (benign text of other sets, generated prompts, another distribution's labelled rows) join
 * every fold's training set and are never scored here; `rowRepeat` counts each of the file's own
 * training rows that many times, to weigh them against the extra rows.
 */
export function outOfFoldProbabilities(
  texts: readonly string[], labels: readonly number[], folds = 5, extra: readonly (string | LabelledText)[] = [],
  options: { rowRepeat?: number; hyper?: typeof classifierHyperParameters } = {},
): number[] {
  const vectors = texts.map((text) => hashedFeatures(matchingText(text)));
  const extraRows = extra.map((row) => (typeof row === 'string' ? { text: row, label: 0 } : row));
  const extraVectors = extraRows.map((row) => hashedFeatures(matchingText(row.text)));
  const repeat = options.rowRepeat ?? 1;
  const probabilities = new Array<number>(texts.length).fill(0);
  for (let fold = 0; fold < folds; fold += 1) {
    const train = texts.map((_, index) => index).filter((index) => foldOf(index, folds) !== fold);
    const repeated = Array.from({ length: repeat }, () => train).flat();
    const trained = trainLogisticRegression(
      [...repeated.map((index) => vectors[index]!), ...extraVectors],
      [...repeated.map((index) => labels[index]!), ...extraRows.map((row) => row.label)],
      options.hyper ?? classifierHyperParameters,
    );
    const model = modelFromWeights(`fold-${fold}`, trained);
    texts.forEach((_, index) => {
      if (foldOf(index, folds) === fold) probabilities[index] = model.probabilityOfVector(vectors[index]!);
    });
  }
  return probabilities;
}

/**
 * The gates' rule for a second stage's operating point on its cross-validated curve: the best F1 whose precision
 * stays within 0.01 of the first stage's alone and which flags no more benign training text than the first stage
 * alone does, so the recall is not paid for with flags on benign text. If no point qualifies, the one flagging the
 * least benign text (the best F1 among ties): falling back to the best F1 alone once moved the injection stage's
 * threshold from 0.9 to 0.6 and sent ordinary persona prompts to review.
 */
export function chooseOperatingPoint<Point extends { precision: number; f1: number; benignFlagged: number }>(
  curve: readonly Point[], firstStage: { precision: number }, firstStageBenignFlagged: number,
): Point {
  const eligible = curve.filter((point) => point.precision >= firstStage.precision - 0.01
    && point.benignFlagged <= firstStageBenignFlagged);
  if (eligible.length) return eligible.reduce((a, b) => (b.f1 > a.f1 ? b : a));
  return curve.reduce((a, b) =>
    (b.benignFlagged < a.benignFlagged || (b.benignFlagged === a.benignFlagged && b.f1 > a.f1) ? b : a));
}
