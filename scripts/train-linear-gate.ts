// Trains a gate's logistic-regression classifier on hashed n-grams from a development set, reports
// k-fold cross-validated metrics (each row scored by a model that never saw it) beside whole-set
// metrics, and saves the weights as JSON next to the gate.
//   npm run train:injection   (eval/injection/dev.jsonl  → activities/gates/injection/injection-model.json)
//   npm run train:safety      (eval/moderation/dev.jsonl → activities/gates/output/safety-model.json)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { scoreInjection } from '../activities/gates/injection/injection-gate';
import { featureBuckets, hashedFeatures } from '../activities/gates/text/hashed-features';
import { trainLogisticRegression } from '../activities/gates/text/linear-model';
import { matchingText } from '../activities/gates/text/normalise';
import { classifierHyperParameters, modelFromWeights, outOfFoldProbabilities } from '../bench/gates/cross-validate';
import { benignText } from '../bench/gates/benign-text';
import { binaryMetrics, readJsonLines } from '../bench/gates/metrics';

const evalDir = join(__dirname, '..', '..', 'shared', 'eval');
const tasks = {
  injection: {
    data: join(evalDir, 'injection', 'dev.jsonl'),
    output: join(__dirname, '..', 'activities', 'gates', 'injection', 'injection-model.json'),
    row: z.object({ text: z.string(), label: z.number().int() }).transform((row) => ({ text: row.text, label: row.label })),
  },
  safety: {
    data: join(evalDir, 'moderation', 'dev.jsonl'),
    output: join(__dirname, '..', 'activities', 'gates', 'output', 'safety-model.json'),
    row: z.object({ text: z.string(), flagged: z.number().int() }).transform((row) => ({ text: row.text, label: row.flagged })),
  },
} as const;

const folds = 5;
// Weights smaller than this change no decision measurably and would only grow the JSON file.
const pruneBelow = 5e-3;

function main(): void {
  const taskName = process.argv[2] as keyof typeof tasks;
  const task = tasks[taskName];
  if (!task) throw new Error(`usage: train-linear-gate.ts <${Object.keys(tasks).join('|')}> [data.jsonl]`);
  const dataPath = process.argv[3] ?? task.data;
  const rows = readJsonLines(dataPath).map((row) => task.row.parse(row));
  const texts = rows.map((row) => row.text);
  const labels = rows.map((row) => row.label);

  // The injection classifier also learns from benign prompts and documents of other dev sets
  // (even rows; odd rows are held out), so ordinary prose is not mistaken for an injection.
  const train = benignText('train');
  const extraNegatives = taskName === 'injection' ? [...train.wikipediaParagraphs, ...train.quoraQuestions] : [];
  const outOfFold = outOfFoldProbabilities(texts, labels, folds, extraNegatives);
  const vectors = texts.map((text) => hashedFeatures(matchingText(text)));
  const extraVectors = extraNegatives.map((text) => hashedFeatures(matchingText(text)));
  const full = trainLogisticRegression([...vectors, ...extraVectors], [...labels, ...extraVectors.map(() => 0)], classifierHyperParameters);
  const fullModel = modelFromWeights(taskName, full);

  const report: Record<string, unknown> = {
    task: taskName, rows: rows.length, folds, hyper: classifierHyperParameters,
    classifierCrossValidated: binaryMetrics(outOfFold.map((p) => p >= 0.5), labels),
    classifierWholeSetTrainedOnIt: binaryMetrics(vectors.map((vector) => fullModel.probabilityOfVector(vector) >= 0.5), labels),
  };
  if (taskName === 'injection') {
    const heldOut = benignText('heldOut');
    const flaggedShare = (items: readonly string[]) => Math.round((items.filter((text) => fullModel.probability(matchingText(text)) >= 0.5).length / Math.max(1, items.length)) * 1000) / 1000;
    report.extraBenignTraining = { wikipediaParagraphs: train.wikipediaParagraphs.length, quoraQuestions: train.quoraQuestions.length };
    report.classifierFalsePositiveRateHeldOut = { wikipediaParagraphs: flaggedShare(heldOut.wikipediaParagraphs), quoraQuestions: flaggedShare(heldOut.quoraQuestions) };
    // The shipped gate combines rules with the classifier; cross-validate that combination too.
    const combined = texts.map((text, index) => 1 - (1 - scoreInjection(text, 'user', undefined).rules) * (1 - outOfFold[index]!));
    report.gateCrossValidatedAtReview05 = binaryMetrics(combined.map((score) => score >= 0.5), labels);
  }
  const weights: [number, number][] = [];
  full.weights.forEach((weight, bucket) => {
    if (Math.abs(weight) >= pruneBelow) weights.push([bucket, Math.round(weight * 1e4) / 1e4]);
  });
  const file = { name: taskName, buckets: featureBuckets, bias: Math.round(full.bias * 1e4) / 1e4, weights, trainedOn: { data: dataPath.replace(/^.*\/eval\//, 'eval/'), ...report } };
  writeFileSync(task.output, JSON.stringify(file));
  console.log(JSON.stringify({ ...report, savedTo: task.output.replace(/^.*\/activities\//, 'activities/'), nonZeroWeights: weights.length }));
}

main();
