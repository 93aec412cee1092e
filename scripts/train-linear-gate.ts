// Trains a gate's logistic-regression classifier on hashed n-grams from the training split of a
// development set (about 1 row in 5, chosen by a hash of its text, is held out: see
// bench/gates/training-provenance.ts), reports its metrics on the held-out rows and k-fold
// cross-validated metrics on the training rows, and saves the weights as JSON next to the gate
// with their provenance: the file's sha256 and row counts, the split rule and a hash of every
// text trained on, so benches can tell which rows of a file the shipped model has seen.
//   npm run train:injection
//     (eval/injection/dev.jsonl  → activities/gates/injection/injection-model.json)
//   npm run train:safety
//     (eval/moderation/dev.jsonl → activities/gates/output/safety-model.json)
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
import {
  fileSha256, heldOutRule, isHeldOut, textHash, type TrainingProvenance,
} from '../bench/gates/training-provenance';

const evalDir = join(__dirname, '..', '..', 'shared', 'eval');
const tasks = {
  injection: {
    data: join(evalDir, 'injection', 'dev.jsonl'),
    output: join(__dirname, '..', 'activities', 'gates', 'injection', 'injection-model.json'),
    row: z
      .object({ text: z.string(), label: z.number().int() })
      .transform((row) => ({ text: row.text, label: row.label })),
  },
  safety: {
    data: join(evalDir, 'moderation', 'dev.jsonl'),
    output: join(__dirname, '..', 'activities', 'gates', 'output', 'safety-model.json'),
    row: z
      .object({ text: z.string(), flagged: z.number().int() })
      .transform((row) => ({ text: row.text, label: row.flagged })),
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
  const allRows = readJsonLines(dataPath).map((row) => task.row.parse(row));
  const rows = allRows.filter((row) => !isHeldOut(row.text));
  const heldOutRows = allRows.filter((row) => isHeldOut(row.text));
  const texts = rows.map((row) => row.text);
  const labels = rows.map((row) => row.label);

  // The injection classifier also learns from benign prompts and documents of other dev sets
  // (even rows; odd rows are held out), so ordinary prose is not mistaken for an injection.
  const train = benignText('train');
  const extraNegatives = taskName === 'injection' ? [...train.wikipediaParagraphs, ...train.quoraQuestions] : [];
  const outOfFold = outOfFoldProbabilities(texts, labels, folds, extraNegatives);
  const vectors = texts.map((text) => hashedFeatures(matchingText(text)));
  const extraVectors = extraNegatives.map((text) => hashedFeatures(matchingText(text)));
  const full = trainLogisticRegression(
    [...vectors, ...extraVectors],
    [...labels, ...extraVectors.map(() => 0)],
    classifierHyperParameters,
  );
  const fullModel = modelFromWeights(taskName, full);

  const heldOutLabels = heldOutRows.map((row) => row.label);
  const report: Record<string, unknown> = {
    task: taskName, folds, hyper: classifierHyperParameters,
    classifierHeldOut: binaryMetrics(
      heldOutRows.map((row) => fullModel.probability(matchingText(row.text)) >= 0.5), heldOutLabels,
    ),
    classifierCrossValidatedOnTrainingRows: binaryMetrics(outOfFold.map((p) => p >= 0.5), labels),
    classifierOnItsTrainingRows: binaryMetrics(
      vectors.map((vector) => fullModel.probabilityOfVector(vector) >= 0.5), labels,
    ),
  };
  if (taskName === 'injection') {
    const heldOut = benignText('heldOut');
    const flaggedShare = (items: readonly string[]) =>
      Math.round(
        (items.filter((text) => fullModel.probability(matchingText(text)) >= 0.5).length / Math.max(1, items.length)) *
          1000,
      ) / 1000;
    report.extraBenignTraining = {
      wikipediaParagraphs: train.wikipediaParagraphs.length,
      quoraQuestions: train.quoraQuestions.length,
    };
    report.classifierFalsePositiveRateHeldOut = {
      wikipediaParagraphs: flaggedShare(heldOut.wikipediaParagraphs),
      quoraQuestions: flaggedShare(heldOut.quoraQuestions),
    };
    // The shipped gate combines rules with the classifier; cross-validate that combination too.
    const combined = texts.map(
      (text, index) => 1 - (1 - scoreInjection(text, 'user', undefined).rules) * (1 - outOfFold[index]!),
    );
    report.gateCrossValidatedOnTrainingRowsAtReview05 = binaryMetrics(combined.map((score) => score >= 0.5), labels);
    const heldOutCombined = heldOutRows.map((row) =>
      1 - (1 - scoreInjection(row.text, 'user', undefined).rules) *
        (1 - fullModel.probability(matchingText(row.text))));
    report.gateHeldOutAtReview05 = binaryMetrics(heldOutCombined.map((score) => score >= 0.5), heldOutLabels);
  }
  const provenance: TrainingProvenance = {
    data: dataPath.replace(/^.*\/eval\//, 'eval/'), dataSha256: fileSha256(dataPath), dataRows: allRows.length,
    heldOutRule,
    trainingRows: rows.length, heldOutRows: heldOutRows.length,
    trainedTextHashes: [...new Set([...texts, ...extraNegatives].map(textHash))].sort(),
  };
  const weights: [number, number][] = [];
  full.weights.forEach((weight, bucket) => {
    if (Math.abs(weight) >= pruneBelow) weights.push([bucket, Math.round(weight * 1e4) / 1e4]);
  });
  const file = {
    name: taskName, buckets: featureBuckets, bias: Math.round(full.bias * 1e4) / 1e4, weights,
    trainedOn: { ...provenance, ...report },
  };
  writeFileSync(task.output, JSON.stringify(file));
  const { trainedTextHashes, ...summary } = provenance;
  console.log(JSON.stringify({
    ...summary, trainedTexts: trainedTextHashes.length, ...report,
    savedTo: task.output.replace(/^.*\/activities\//, 'activities/'), nonZeroWeights: weights.length,
  }));
}

main();
