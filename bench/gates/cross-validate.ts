import { featureBuckets, hashedFeatures } from '../../activities/gates/text/hashed-features';
import { LinearModel, trainLogisticRegression } from '../../activities/gates/text/linear-model';
import { matchingText } from '../../activities/gates/text/normalise';
import { foldOf } from './metrics';

/** Hyper-parameters of the gate classifiers; the training script and the benches share them. */
export const classifierHyperParameters = { epochs: 12, learningRate: 0.5, l2: 1e-5, positiveWeight: 1.3 };

/** A LinearModel from freshly trained weights (no pruning). */
export function modelFromWeights(name: string, trained: { weights: Float32Array; bias: number }): LinearModel {
  const weights: [number, number][] = [];
  trained.weights.forEach((weight, bucket) => {
    if (weight !== 0) weights.push([bucket, weight]);
  });
  return new LinearModel({ name, buckets: featureBuckets, bias: trained.bias, weights, trainedOn: {} });
}

/**
 * Out-of-fold probabilities: each row is scored by a classifier trained on the other k-1 folds
 * only, so the metrics computed from them never score a row the model was trained on.
 */
export function outOfFoldProbabilities(texts: readonly string[], labels: readonly number[], folds = 5, extraNegatives: readonly string[] = []): number[] {
  const vectors = texts.map((text) => hashedFeatures(matchingText(text)));
  // Extra benign texts join every fold's training set and are never scored here.
  const extra = extraNegatives.map((text) => hashedFeatures(matchingText(text)));
  const probabilities = new Array<number>(texts.length).fill(0);
  for (let fold = 0; fold < folds; fold += 1) {
    const train = texts.map((_, index) => index).filter((index) => foldOf(index, folds) !== fold);
    const trained = trainLogisticRegression([...train.map((index) => vectors[index]!), ...extra], [...train.map((index) => labels[index]!), ...extra.map(() => 0)], classifierHyperParameters);
    const model = modelFromWeights(`fold-${fold}`, trained);
    texts.forEach((_, index) => {
      if (foldOf(index, folds) === fold) probabilities[index] = model.probabilityOfVector(vectors[index]!);
    });
  }
  return probabilities;
}
