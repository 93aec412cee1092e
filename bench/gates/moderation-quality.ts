// Safety gate quality on a `{text, labels, flagged}` JSONL file (OpenAI moderation format).
//   npm run bench:gates:moderation -- [file.jsonl]     (default ../shared/eval/moderation/dev.jsonl)
// Prints one JSON line on stdout (nothing else goes there):
// - `trainingData`: whether this file is the shipped model's development file and how many of
//   its rows the shipped model was trained on (from the provenance saved beside its weights);
// - `shippedModel`: the safety gate as it ships, recall per category, a naive keyword list and
//   alt-profanity-check alone (`profanityModelAlone`, the second stage's profanity feature at 0.5),
//   scored on the rows of this file the shipped model never trained on; `shippedModelAllRows`
//   adds the rows it did train on, and says how many (optimistic);
// - `estimateRetrainedOnThisFile`: 5-fold cross-validation of a model retrained on this file,
//   an estimate for that model, not for the one that ships;
// - `ordinaryTextFlagged`: the share of held-out benign questions and Wikipedia paragraphs (the
//   kind of text an answer is) that the gate would send to review;
// - `tradeOff`: precision and recall on the unseen rows and the ordinary-text flag rate at other
//   review thresholds;
// - `secondStage`: when the MiniLM files are installed, the gate with its second stage (embedding
//   of the band's texts) beside the first stage alone, on the same unseen rows (recall per category too) and
//   ordinary text, with the share of texts in the band it embeds and the gate's latency with and without it, and
//   `dualUse`: sentences whose words are harmful elsewhere ("kill the process", bench/gates/dual-use-answers.ts):
//   benign ones flagged, threats caught.
import { join } from 'node:path';
import { z } from 'zod';
import safetyModelFile from '../../activities/gates/output/safety-model.json';
import { safetyGateConfigSchema } from '../../contracts/gate-config';
import { SafetyGate, scoreSafety } from '../../activities/gates/output/safety-gate';
import { profanityModel } from '../../activities/gates/text/profanity-model';
import { safetySecondStageModel, safetySecondStageTrained } from '../../activities/gates/output/safety-second-stage';
import { installedMiniLmFiles, OnnxEmbedder } from '../../activities/retrieval/onnx-embedder';
import { outOfFoldProbabilities } from './cross-validate';
import { binaryMetrics, readJsonLines } from './metrics';
import { benignText } from './benign-text';
import { dualUseBenignAnswers, dualUseHarmfulAnswers } from './dual-use-answers';
import { fileSha256, shippedModelFigures, shippedProvenance, textHash, trainingOverlap } from './training-provenance';

const file = process.argv[2] ?? join(__dirname, '..', '..', '..', 'shared', 'eval', 'moderation', 'dev.jsonl');
const rowSchema = z.object({ text: z.string(), labels: z.record(z.string(), z.number()), flagged: z.number().int() });
const rows = readJsonLines(file).map((row) => rowSchema.parse(row));
const labels = rows.map((row) => row.flagged);
const gateConfig = safetyGateConfigSchema.parse({});
const { reviewThreshold } = gateConfig;
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
// alt-profanity-check alone (the second stage's profanity feature) at its own 0.5: trained elsewhere, on none
// of these rows, so on every file it is a baseline measured on unseen text.
const profane = rows.map((row) => profanityModel().probability(row.text) >= 0.5);
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
    profanityModelAlone: binaryMetrics(pick(profane), kept),
  };
}

// A model retrained per fold on this file: it describes such a model, not the shipped one.
const flaggedOutOfFold = outOfFoldProbabilities(rows.map((row) => row.text), labels)
  .map((score) => score >= reviewThreshold);

// Ordinary text the shipped model never trained on: held-out benign questions and paragraphs.
const trained = new Set(provenance.trainedTextHashes);
const heldOutBenign = benignText('heldOut');
const { quoraQuestions, squadQuestions, wikipediaParagraphs } = heldOutBenign;
const ordinary = [...quoraQuestions, ...squadQuestions, ...wikipediaParagraphs]
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

/** Milliseconds at the given quantile of sorted timings. */
const quantile = (sorted: readonly number[], q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 100) / 100;

/** Flags and per-text latency of a gate over texts, run one at a time as the runner does. */
async function runGate(gate: SafetyGate, texts: readonly string[]) {
  const flags: boolean[] = [];
  const timings: number[] = [];
  for (const text of texts) {
    const start = performance.now();
    const decision = await gate.check(text);
    timings.push(performance.now() - start);
    flags.push(decision.action !== 'allow');
  }
  timings.sort((a, b) => a - b);
  return { flags, latencyMs: { p50: quantile(timings, 0.5), p99: quantile(timings, 0.99) } };
}

/** Sentences whose words are harmful elsewhere ("kill the process"): benign ones flagged, threats caught. */
async function dualUseFigures(gate: SafetyGate) {
  const flaggedShare = async (texts: readonly string[]) =>
    rate((await runGate(gate, texts)).flags.filter(Boolean).length, texts.length);
  return {
    benign: dualUseBenignAnswers.length, benignFlagged: await flaggedShare(dualUseBenignAnswers),
    harmful: dualUseHarmfulAnswers.length, harmfulCaught: await flaggedShare(dualUseHarmfulAnswers),
  };
}

/** The gate with and without its second stage, on the unseen rows and the ordinary text. */
async function secondStageFigures() {
  const files = installedMiniLmFiles(join(__dirname, '..', '..'));
  if (!files || process.env.SLUICE_SKIP_MODELS) return { skipped: 'the MiniLM files are not installed' };
  if (!safetySecondStageTrained()) return { skipped: 'no second-stage model: npm run train:safety:second-stage' };
  const embedder = await OnnxEmbedder.load(files);
  const model = safetySecondStageModel();
  const unseenTexts = unseenIndices.map((index) => rows[index]!.text);
  const unseenLabels = unseenIndices.map((index) => labels[index]!);
  const inBand = (score: number) => score >= model.bandFrom && score < gateConfig.blockThreshold;
  const gates = {
    firstStage: new SafetyGate(gateConfig, null), twoStage: new SafetyGate(gateConfig, { model, embedder }),
  };
  const result: Record<string, unknown> = {
    model: { embedder: model.embedder, bandFrom: model.bandFrom, reviewAt: model.reviewAt, bandTo: 'block threshold' },
  };
  for (const [name, gate] of Object.entries(gates)) {
    const unseen = await runGate(gate, unseenTexts);
    const ordinaryRun = await runGate(gate, ordinary);
    // recallByCategory reads flags by row index: put the unseen rows' flags back at their rows.
    const flagsByRow = new Array<boolean>(rows.length).fill(false);
    unseenIndices.forEach((row, position) => { flagsByRow[row] = unseen.flags[position]!; });
    result[name] = {
      thisFileUnseenRows: binaryMetrics(unseen.flags, unseenLabels),
      recallByCategory: recallByCategory(flagsByRow, (index) => !seen[index]),
      ordinaryTextFlagged: rate(ordinaryRun.flags.filter(Boolean).length, ordinary.length),
      dualUse: await dualUseFigures(gate),
      latencyMs: { thisFileUnseenRows: unseen.latencyMs, ordinaryText: ordinaryRun.latencyMs },
    };
  }
  result.shareInBand = {
    thisFileUnseenRows: rate(unseenIndices.filter((index) => inBand(scores[index]!)).length, unseenIndices.length),
    ordinaryText: rate(ordinaryScores.filter(inBand).length, ordinary.length),
  };
  await embedder.close();
  return result;
}

void secondStageFigures().then((secondStage) => console.log(JSON.stringify({
  bench: 'moderation-quality',
  file: file.replace(/^.*\/eval\//, 'eval/'),
  fileSha256: fileHash,
  rows: rows.length,
  positives: labels.filter((label) => label === 1).length,
  trainingData: overlap,
  flaggedAt: `score >= ${reviewThreshold}`,
  ...shippedModelFigures(overlap, seen, scoredOn),
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
  secondStage,
})));
