import { seededShuffle } from './linear-model';

/** One training row of a dense logistic model: features, label (1 = positive) and its weight in the loss. */
export interface DenseRow {
  vector: readonly number[];
  label: number;
  weight: number;
}

/** Hyper-parameters of trainDenseLogisticRegression (AdaGrad SGD). */
export interface DenseHyperParameters {
  epochs: number;
  learningRate: number;
  l2: number;
}

/** Weights and bias of a trained dense logistic model. */
export interface DenseModel {
  weights: Float64Array;
  bias: number;
}

/**
 * Trains L2-regularised logistic regression on dense vectors (sentence embeddings) by AdaGrad SGD,
 * in a reproducible order, for the gates' second stages.
 */
export function trainDenseLogisticRegression(rows: readonly DenseRow[], hyper: DenseHyperParameters): DenseModel {
  const dimensions = rows[0]?.vector.length ?? 0;
  const weights = new Float64Array(dimensions);
  const squared = new Float64Array(dimensions);
  let bias = 0;
  let biasSquared = 0;
  const shuffle = seededShuffle(7);
  const order = rows.map((_, index) => index);
  for (let epoch = 0; epoch < hyper.epochs; epoch += 1) {
    shuffle(order);
    for (const index of order) {
      const row = rows[index]!;
      const gradient = (denseProbability({ weights, bias }, row.vector) - row.label) * row.weight;
      for (let k = 0; k < dimensions; k += 1) {
        const step = gradient * row.vector[k]! + hyper.l2 * weights[k]!;
        squared[k]! += step * step;
        weights[k]! -= (hyper.learningRate * step) / Math.sqrt(squared[k]! + 1e-8);
      }
      biasSquared += gradient * gradient;
      bias -= (hyper.learningRate * gradient) / Math.sqrt(biasSquared + 1e-8);
    }
  }
  return { weights, bias };
}

/** Probability of the positive class for one vector. */
export function denseProbability(model: DenseModel, vector: readonly number[]): number {
  let sum = model.bias;
  for (let k = 0; k < model.weights.length; k += 1) sum += model.weights[k]! * vector[k]!;
  return 1 / (1 + Math.exp(-sum));
}
