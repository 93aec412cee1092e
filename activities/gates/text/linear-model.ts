import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { featureBuckets, hashedFeatures, type SparseVector } from './hashed-features';

/** A logistic-regression model over hashed features, as saved by `scripts/train-linear-gate.ts`. */
export const linearModelSchema = z.object({
  name: z.string(),
  buckets: z.literal(featureBuckets),
  bias: z.number(),
  /** Sparse weights: [bucket, weight] pairs; buckets never seen in training stay zero. */
  weights: z.array(z.tuple([z.number().int().nonnegative(), z.number()])),
  /** Provenance: data file, row count, hyper-parameters, cross-validated metrics. */
  trainedOn: z.record(z.string(), z.unknown()),
});
export type LinearModelFile = z.infer<typeof linearModelSchema>;

const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

/**
 * Reads a saved model file for one use. A JSON import would keep the whole file alive for the process's
 * life (about 10 MiB of heap each: 150k weight pairs and the training provenance); the model keeps only
 * its dense weights.
 */
export function readModelFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Scores text with a saved linear model; the weights are a dense Float32Array for speed. */
export class LinearModel {
  private readonly weights: Float32Array;
  private readonly bias: number;

  constructor(file: unknown) {
    const parsed = linearModelSchema.parse(file);
    this.weights = new Float32Array(featureBuckets);
    for (const [bucket, weight] of parsed.weights) this.weights[bucket] = weight;
    this.bias = parsed.bias;
  }

  /** Probability of the positive class for text that is already normalised. */
  probability(normalisedText: string): number {
    return this.probabilityOfVector(hashedFeatures(normalisedText));
  }

  probabilityOfVector(vector: SparseVector): number {
    let sum = this.bias;
    for (const [bucket, value] of vector) sum += (this.weights[bucket] ?? 0) * value;
    return sigmoid(sum);
  }
}

/**
 * A Fisher-Yates shuffle in place driven by a fixed linear-congruential generator, so training visits
 * rows in the same order run to run.
 */
export function seededShuffle(seed: number): (order: number[]) => void {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return (order) => {
    for (let index = order.length - 1; index > 0; index -= 1) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap]!, order[index]!];
    }
  };
}

/** Trains L2-regularised logistic regression by stochastic gradient descent with AdaGrad step sizes, in a reproducible order. */
export function trainLogisticRegression(
  vectors: readonly SparseVector[],
  labels: readonly number[],
  options: { epochs: number; learningRate: number; l2: number; positiveWeight: number },
): { weights: Float32Array; bias: number } {
  const weights = new Float32Array(featureBuckets);
  const squaredGradients = new Float32Array(featureBuckets);
  let bias = 0;
  let biasSquaredGradient = 0;
  const order = vectors.map((_, index) => index);
  const shuffle = seededShuffle(12345);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    shuffle(order);
    for (const row of order) {
      const vector = vectors[row]!;
      let sum = bias;
      for (const [bucket, value] of vector) sum += weights[bucket]! * value;
      const label = labels[row]!;
      const error = (sigmoid(sum) - label) * (label === 1 ? options.positiveWeight : 1);
      for (const [bucket, value] of vector) {
        const gradient = error * value + options.l2 * weights[bucket]!;
        squaredGradients[bucket] = squaredGradients[bucket]! + gradient * gradient;
        weights[bucket] = weights[bucket]! - (options.learningRate * gradient) / Math.sqrt(squaredGradients[bucket]! + 1e-8);
      }
      biasSquaredGradient += error * error;
      bias -= (options.learningRate * error) / Math.sqrt(biasSquaredGradient + 1e-8);
    }
  }
  return { weights, bias };
}
