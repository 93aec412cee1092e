// Safety gate quality on a `{text, labels, flagged}` JSONL file (OpenAI moderation format).
//   npm run bench:gates:moderation -- [file.jsonl]     (default ../shared/eval/moderation/dev.jsonl)
// Prints one JSON line on stdout (nothing else goes there):
// - `trainingData`: whether this file is the shipped model's development file and how many of
//   its rows the shipped model was trained on (from the provenance saved beside its weights);
// - `shippedModel`: the safety gate as it ships, recall per category and a naive keyword list,
//   scored on the rows of this file the shipped model never trained on; `shippedModelAllRows`
//   adds the rows it did train on, and says how many (optimistic);
// - `estimateRetrainedOnThisFile`: 5-fold cross-validation of a model retrained on this file,
//   an estimate for that model, not for the one that ships;
// - `ordinaryTextFlagged`: the share of held-out benign questions and Wikipedia paragraphs (the
//   kind of text an answer is) that the gate would send to review;
// - `tradeOff`: precision and recall on the unseen rows and the ordinary-text flag rate at other
//   review thresholds.
import { join } from 'node:path';
import { z } from 'zod';
import safetyModelFile from '../../activities/gates/output/safety-model.json';
import { safetyGateConfigSchema } from '../../contracts/gate-config';
import { scoreSafety } from '../../activities/gates/output/safety-gate';
import { outOfFoldProbabilities } from './cross-validate';
import { binaryMetrics, readJsonLines } from './metrics';
import { benignText } from './benign-text';
import { fileSha256, shippedProvenance, textHash, trainingOverlap } from './training-provenance';

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
const provenance = shippedProvenance(safetyModelFile);
const { overlap, seen } = trainingOverlap(provenance, fileHash, rows.map((row) => row.text));

const scores = rows.map((row) => scoreSafety(row.text));
const flagged = scores.map((score) => score >= reviewThreshold);
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

// Ordinary text the shipped model never trained on: held-out benign questions and paragraphs.
const trained = new Set(provenance.trainedTextHashes);
const heldOutBenign = benignText('heldOut');
const ordinary = [...heldOutBenign.quoraQuestions, ...heldOutBenign.squadQuestions, ...heldOutBenign.wikipediaParagraphs]
  .filter((text) => !trained.has(textHash(text)));
const ordinaryScores = ordinary.map((text) => scoreSafety(text));
const rate = (count: number, total: number) => Math.round((count / Math.max(1, total)) * 1000) / 1000;
const unseenIndices = rows.map((_, index) => index).filter((index) => !seen[index]);
const tradeOff = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85].map((threshold) => ({
  threshold,
  unseenRows: binaryMetrics(
    unseenIndices.map((index) => scores[index]! >= threshold), unseenIndices.map((index) => labels[index]!),
  ),
  ordinaryTextFlagged: rate(ordinaryScores.filter((score) => score >= threshold).length, ordinary.length),
}));

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
  ordinaryTextFlagged: {
    source: 'odd rows of the Quora, SQuAD and Wikipedia texts (bench/gates/benign-text.ts), less any trained on',
    texts: ordinary.length,
    rate: rate(ordinaryScores.filter((score) => score >= reviewThreshold).length, ordinary.length),
  },
  tradeOff,
}));
