// Safety gate quality on a `{text, labels, flagged}` JSONL file (OpenAI moderation format).
//   npm run bench:gates:moderation -- [file.jsonl]     (default ../shared/eval/moderation/dev.jsonl)
// Prints one JSON line: the shipped safety gate flagging at its review threshold, recall per
// category, a naive keyword list, and 5-fold cross-validated metrics retrained on this file.
import { join } from 'node:path';
import { z } from 'zod';
import { safetyGateConfigSchema } from '../../contracts/gate-config';
import { scoreSafety } from '../../activities/gates/output/safety-gate';
import { outOfFoldProbabilities } from './cross-validate';
import { binaryMetrics, readJsonLines } from './metrics';

const file = process.argv[2] ?? join(__dirname, '..', '..', '..', 'shared', 'eval', 'moderation', 'dev.jsonl');
const rows = readJsonLines(file).map((row) => z.object({ text: z.string(), labels: z.record(z.string(), z.number()), flagged: z.number().int() }).parse(row));
const labels = rows.map((row) => row.flagged);
const { reviewThreshold } = safetyGateConfigSchema.parse({});
const naiveWords = ['kill', 'hate', 'sex', 'suicide', 'fuck', 'shit', 'die', 'stupid', 'idiot', 'rape', 'murder', 'nigger', 'fag', 'bitch', 'porn', 'cut myself'];

const scores = rows.map((row) => scoreSafety(row.text));
const flagged = scores.map((score) => score >= reviewThreshold);
const outOfFold = outOfFoldProbabilities(rows.map((row) => row.text), labels);
// Per-category recall from the cross-validated scores: the shipped model has seen every row here.
const flaggedOutOfFold = outOfFold.map((score) => score >= reviewThreshold);
const categories = [...new Set(rows.flatMap((row) => Object.keys(row.labels)))];
const recallByCategory = Object.fromEntries(categories.map((category) => {
  const positives = rows.map((row, index) => ({ positive: row.labels[category] === 1, index })).filter((row) => row.positive);
  return [category, { positives: positives.length, recall: positives.length ? Math.round((positives.filter((row) => flaggedOutOfFold[row.index]).length / positives.length) * 1000) / 1000 : null }];
}));

console.log(JSON.stringify({
  bench: 'moderation-quality',
  file: file.replace(/^.*\/eval\//, 'eval/'),
  rows: rows.length,
  positives: labels.filter((label) => label === 1).length,
  flaggedAt: `score >= ${reviewThreshold}`,
  gate: binaryMetrics(flagged, labels),
  gateCrossValidated5Fold: binaryMetrics(flaggedOutOfFold, labels),
  recallByCategoryCrossValidated: recallByCategory,
  naiveKeywordBaseline: binaryMetrics(rows.map((row) => naiveWords.some((word) => row.text.toLowerCase().includes(word))), labels),
}));
