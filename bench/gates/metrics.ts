import { readFileSync } from 'node:fs';

/** Binary classification counts and the metrics derived from them. */
export interface BinaryMetrics {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** Precision, recall and F1 from counts (0 where undefined). */
export function metricsFromCounts(truePositives: number, falsePositives: number, falseNegatives: number, trueNegatives = 0): BinaryMetrics {
  const precision = truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 0 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, falsePositives, falseNegatives, trueNegatives, precision: round(precision), recall: round(recall), f1: round(f1) };
}

/** Metrics of predicted flags against gold labels (1 = positive). */
export function binaryMetrics(predicted: readonly boolean[], gold: readonly number[]): BinaryMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  predicted.forEach((flag, index) => {
    const positive = gold[index] === 1;
    if (flag && positive) tp += 1;
    else if (flag) fp += 1;
    else if (positive) fn += 1;
    else tn += 1;
  });
  return metricsFromCounts(tp, fp, fn, tn);
}

/** Reads a JSONL file into parsed rows, skipping blank lines. */
export function readJsonLines(path: string): unknown[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as unknown);
}

/** Row indices split into k folds by position modulo k (deterministic, no shuffling needed). */
export function foldOf(index: number, folds: number): number {
  return index % folds;
}
