// Safety gate quality on a `{text, labels, flagged}` JSONL file (OpenAI moderation format).
//   npm run bench:gates:moderation -- [file.jsonl]     (default ../shared/eval/moderation/dev.jsonl)
// Prints one JSON line on stdout (nothing else goes there):
// - `trainingData`: whether this file is the shipped model's development file and how many of
//   its rows the shipped model was trained on (from the provenance saved beside its weights);
// - `shippedModel`: the safety gate as it ships, recall per category and a naive keyword list,
//   scored on the rows of this file the shipped model never trained on; `shippedModelAllRows`
//   adds the rows it did train on, and says how many (optimistic);
// - `estimateRetrainedOnThisFile`: 5-fold cross-validation of a model retrained on this file,
//   an estimate for that model, not for the one that ships.
import { join } from 'node:path';
import { z } from 'zod';
import safetyModelFile from '../../activities/gates/output/safety-model.json';
import { safetyGateConfigSchema } from '../../contracts/gate-config';
import { scoreSafety } from '../../activities/gates/output/safety-gate';
import { outOfFoldProbabilities } from './cross-validate';
import { binaryMetrics, readJsonLines } from './metrics';
import { fileSha256, shippedProvenance, trainingOverlap } from './training-provenance';

const file = process.argv[2] ?? join(__dirname, '..', '..', '..', 'shared', 'eval', 'moderation', 'dev.jsonl');
const rowSchema = z.object({ text: z.string(), labels: z.record(z.string(), z.number()), flagged: z.number().int() });
const rows = readJsonLines(file).map((row) => rowSchema.parse(row));
const labels = rows.map((row) => row.flagged);
const { reviewThreshold } = safetyGateConfigSchema.parse({});
const naiveWords = [
  'kill', 'hate', 'sex', 'suicide', 'fuck', 'shit', 'die', 'stupid', 'idiot', 'rape', 'murder', 'nigger', 'fag',
  'bitch', 'porn', 'cut myself',
];
const fileHash = fileSha256(file);
const { overlap, seen } = trainingOverlap(shippedProvenance(safetyModelFile), fileHash, rows.map((row) => row.text));

const flagged = rows.map((row) => scoreSafety(row.text) >= reviewThreshold);
const naive = rows.map((row) => naiveWords.some((word) => row.text.toLowerCase().includes(word)));
const categories = [...new Set(rows.flatMap((row) => Object.keys(row.labels)))];

/** Recall per moderation category over the rows `keep` selects. */
function recallByCategory(flags: readonly boolean[], keep: (index: number) => boolean) {
  return Object.fromEntries(categories.map((category) => {
    const positives = rows
      .map((_, index) => index)
      .filter((index) => keep(index) && rows[index]!.labels[category] === 1);
    const hits = positives.filter((index) => flags[index]).length;
    const recall = positives.length ? Math.round((hits / positives.length) * 1000) / 1000 : null;
    return [category, { positives: positives.length, recall }];
  }));
}

/** Gate, per-category and baseline metrics over the rows `keep` selects. */
function scoredOn(keep: (index: number) => boolean) {
  const pick = <T>(values: readonly T[]) => values.filter((_, index) => keep(index));
  const kept = pick(labels);
  return {
    rows: kept.length, positives: kept.filter((label) => label === 1).length,
    gate: binaryMetrics(pick(flagged), kept),
    recallByCategory: recallByCategory(flagged, keep),
    naiveKeywordBaseline: binaryMetrics(pick(naive), kept),
  };
}

// A model retrained per fold on this file: it describes such a model, not the shipped one.
const flaggedOutOfFold = outOfFoldProbabilities(rows.map((row) => row.text), labels)
  .map((score) => score >= reviewThreshold);

console.log(JSON.stringify({
  bench: 'moderation-quality',
  file: file.replace(/^.*\/eval\//, 'eval/'),
  fileSha256: fileHash,
  rows: rows.length,
  positives: labels.filter((label) => label === 1).length,
  trainingData: overlap,
  flaggedAt: `score >= ${reviewThreshold}`,
  shippedModel: {
    scoredOn: 'rows of this file the shipped model was not trained on', ...scoredOn((index) => !seen[index]),
  },
  shippedModelAllRows: {
    scoredOn: `every row; ${overlap.rowsSeenInTraining} of them were the shipped model's training data, `
      + 'so this is optimistic',
    ...scoredOn(() => true),
  },
  estimateRetrainedOnThisFile: {
    what: 'estimate of a model retrained on this file (5-fold cross-validation), not the shipped one',
    gate: binaryMetrics(flaggedOutOfFold, labels),
    recallByCategory: recallByCategory(flaggedOutOfFold, () => true),
  },
}));
