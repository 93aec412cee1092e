// Trains the answer cache's paraphrase model (activities/cache/paraphrase-model.json): logistic
// regression over the embedding cosine and lexical features (activities/cache/paraphrase-features.ts),
// fitted on the tuning split of ../shared/eval/paraphrase/dev.jsonl only. The held-out rows are
// counted, never read into a feature or a choice: bench/cache/paraphrase-curve.ts measures on them.
//   npm run train:paraphrase [-- dev.jsonl]
//   SLUICE_PARAPHRASE_VECTORS=/tmp/vectors.json caches the MiniLM vectors between runs (and the bench's).
// The L2 penalty and the default threshold are chosen on 5-fold cross-validated scores of the tuning
// rows (vetoes and the cosine floor applied, as the matcher applies them); the final model is then
// fitted on all tuning rows. Full-batch training from zero weights: the same data gives the same file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  pairFeatures, paraphraseInputNames, paraphraseInputs, vetoFeatures,
} from '../activities/cache/paraphrase-features';
import { parseQuestion } from '../activities/cache/paraphrase-parse';
import {
  inverseDocumentFrequency, paraphraseProbability, type ParaphraseModel, type ParaphraseModelFile,
} from '../activities/cache/paraphrase-model';
import { stableHash } from '../contracts/prompts';
import { loadRetrievalConfig } from '../contracts/retrieval';
import { createEmbedder } from '../workers/embedded-defaults';
import { fileSha256 } from '../bench/gates/training-provenance';
import { readJsonLines } from '../bench/retrieval/read-jsonl';

export const defaultParaphraseData = join(__dirname, '..', '..', 'shared', 'eval', 'paraphrase', 'dev.jsonl');
const outputPath = join(__dirname, '..', 'activities', 'cache', 'paraphrase-model.json');
export const paraphraseRowSchema = z.object({
  a: z.string(), b: z.string(), duplicate: z.union([z.literal(0), z.literal(1)]),
});
export type ParaphraseRow = z.infer<typeof paraphraseRowSchema>;

/** Rows whose FNV-1a hash of "a\nb" is 0..6 mod 10 tune; 7..9 are held out (the bench's split, unchanged). */
export const splitRule = 'fnv1a(a + "\\n" + b) % 10 < 7 tunes, else held out';
export const isTuning = (row: ParaphraseRow): boolean => stableHash(`${row.a}\n${row.b}`) % 10 < 7;

const folds = 5;
/** Cross-validation fold of a tuning row: a salted hash, independent of the split's. */
const foldOf = (row: ParaphraseRow): number => stableHash(`fold\n${row.a}\n${row.b}`) % folds;
const l2Candidates = [1e-4, 1e-3, 1e-2];
/** The goal is recall >= 0.40; choosing at 0.45 leaves a margin for the held-out recall to wander. */
export const tuningRecallFloor = 0.45;
/** Below this cosine no pair matches; it keeps a lexically similar but unrelated question out. */
const minimumCosine = 0.8;
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const round = (value: number, digits = 6): number => Number(value.toFixed(digits));

/** The embedding cosine of every row, by the real MiniLM embedder; vectors cached in `cachePath` when given. */
export async function pairCosines(
  rows: readonly ParaphraseRow[], cachePath?: string,
): Promise<{ cosines: number[]; embedder: string }> {
  const embedder = await createEmbedder(loadRetrievalConfig({ ...process.env, SLUICE_EMBEDDER: 'onnx' }));
  type VectorCache = { embedder: string; vectors: Record<string, number[]> };
  const cached = cachePath && existsSync(cachePath)
    ? (JSON.parse(readFileSync(cachePath, 'utf8')) as VectorCache) : undefined;
  const vectors = new Map(cached?.embedder === embedder.id ? Object.entries(cached.vectors) : []);
  const missing = [...new Set(rows.flatMap((row) => [row.a, row.b]))].filter((text) => !vectors.has(text));
  log(`embedding ${missing.length} questions with ${embedder.id} (${vectors.size} cached)`);
  for (let start = 0; start < missing.length; start += 256) {
    const slice = missing.slice(start, start + 256);
    (await embedder.embed(slice)).forEach((vector, index) => vectors.set(slice[index]!, vector));
    log(`  ${Math.min(start + 256, missing.length)}/${missing.length}`);
  }
  if (cachePath && missing.length > 0)
    writeFileSync(cachePath, JSON.stringify({ embedder: embedder.id, vectors: Object.fromEntries(vectors) }));
  const dot = (x: readonly number[], y: readonly number[]) => x.reduce((sum, value, i) => sum + value * y[i]!, 0);
  return { cosines: rows.map((row) => dot(vectors.get(row.a)!, vectors.get(row.b)!)), embedder: embedder.id };
}

/** Document frequencies of content-word stems, one document per pair (so a pair's own shared words count once). */
export function documentFrequencies(rows: readonly ParaphraseRow[]): ParaphraseModelFile['documentFrequencies'] {
  const counts = new Map<string, number>();
  for (const row of rows)
    for (const stem of new Set([...parseQuestion(row.a).content, ...parseQuestion(row.b).content]))
      counts.set(stem, (counts.get(stem) ?? 0) + 1);
  const kept = [...counts].filter(([, count]) => count >= 2).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return { documents: rows.length, counts: Object.fromEntries(kept) };
}

/** L2-regularised logistic regression on standardised inputs, full-batch Adam from zero weights. */
function fitLogistic(inputs: readonly number[][], labels: readonly number[], l2: number) {
  const width = inputs[0]!.length;
  const means = Array.from({ length: width }, (_, j) => inputs.reduce((sum, row) => sum + row[j]!, 0) / inputs.length);
  const scales = means.map((mean, j) =>
    Math.sqrt(inputs.reduce((sum, row) => sum + (row[j]! - mean) ** 2, 0) / inputs.length) || 1);
  const rows = inputs.map((row) => row.map((value, j) => (value - means[j]!) / scales[j]!));
  const parameters = new Array<number>(width + 1).fill(0); // weights, then the bias
  const [first, second] = [new Array<number>(width + 1).fill(0), new Array<number>(width + 1).fill(0)];
  const [rate, iterations] = [0.05, 1500];
  for (let step = 1; step <= iterations; step += 1) {
    const gradient = new Array<number>(width + 1).fill(0);
    rows.forEach((row, index) => {
      const sum = row.reduce((total, value, j) => total + value * parameters[j]!, parameters[width]!);
      const error = 1 / (1 + Math.exp(-sum)) - labels[index]!;
      row.forEach((value, j) => (gradient[j] = gradient[j]! + error * value));
      gradient[width] = gradient[width]! + error;
    });
    for (let j = 0; j <= width; j += 1) {
      const g = gradient[j]! / rows.length + (j < width ? l2 * parameters[j]! : 0);
      first[j] = 0.9 * first[j]! + 0.1 * g;
      second[j] = 0.999 * second[j]! + 0.001 * g * g;
      const update = (first[j]! / (1 - 0.9 ** step)) / (Math.sqrt(second[j]! / (1 - 0.999 ** step)) + 1e-8);
      parameters[j] = parameters[j]! - rate * update;
    }
  }
  return { means, scales, weights: parameters.slice(0, width), bias: parameters[width]! };
}

interface Example {
  row: ParaphraseRow;
  cosine: number;
}
/** A model's decision score for each example: 0 where a veto fires or the cosine is under the floor. */
function decisionScores(model: ParaphraseModel, examples: readonly Example[]): number[] {
  return examples.map(({ row, cosine }) => {
    const features = pairFeatures(row.a, row.b, cosine, model.idf);
    const vetoed = vetoFeatures.some((name) => features[name] > 0);
    return vetoed || cosine < model.minimumCosine ? 0 : paraphraseProbability(model, paraphraseInputs(features));
  });
}

function trainOn(examples: readonly Example[], l2: number) {
  const table = documentFrequencies(examples.map((example) => example.row));
  const idf = inverseDocumentFrequency(table);
  const inputs = examples.map(({ row, cosine }) => paraphraseInputs(pairFeatures(row.a, row.b, cosine, idf)));
  const fitted = fitLogistic(inputs, examples.map((example) => example.row.duplicate), l2);
  return { table, model: { ...fitted, threshold: 0.5, minimumCosine, idf } satisfies ParaphraseModel };
}

/** Precision, recall and false-hit rate at a threshold. */
export function pointAt(scores: readonly number[], labels: readonly number[], threshold: number) {
  let [truePositives, falsePositives] = [0, 0];
  scores.forEach((score, index) => {
    if (score < threshold || score === 0) return;
    if (labels[index] === 1) truePositives += 1;
    else falsePositives += 1;
  });
  const positives = labels.filter((label) => label === 1).length;
  return {
    threshold: round(threshold, 4), precision: round(truePositives / Math.max(1, truePositives + falsePositives), 4),
    recall: round(truePositives / positives, 4), falseHitRate: round(falsePositives / (labels.length - positives), 4),
  };
}

/** The threshold on a 0.005 grid with the highest precision at recall >= the floor (the lowest such on ties). */
export function chooseThreshold(scores: readonly number[], labels: readonly number[], recallFloor: number) {
  const grid = Array.from({ length: 197 }, (_, index) => round(0.01 + index * 0.005, 4));
  return grid.map((threshold) => pointAt(scores, labels, threshold)).filter((point) => point.recall >= recallFloor)
    .reduce((best, point) => (point.precision > best.precision ? point : best));
}

async function main(): Promise<void> {
  const dataPath = process.argv[2] ?? defaultParaphraseData;
  const rows = readJsonLines(dataPath, paraphraseRowSchema);
  const tuningRows = rows.filter(isTuning);
  const { cosines, embedder } = await pairCosines(tuningRows, process.env.SLUICE_PARAPHRASE_VECTORS);
  const examples = tuningRows.map((row, index) => ({ row, cosine: cosines[index]! }));
  const labels = examples.map((example) => example.row.duplicate);

  // Out-of-fold scores per L2 candidate; each fold's word weights come from its own training pairs.
  const crossValidated = l2Candidates.map((l2) => {
    const scores = new Array<number>(examples.length).fill(0);
    for (let fold = 0; fold < folds; fold += 1) {
      const { model } = trainOn(examples.filter((example) => foldOf(example.row) !== fold), l2);
      const testIndices = examples.map((_, index) => index).filter((index) => foldOf(examples[index]!.row) === fold);
      decisionScores(model, testIndices.map((index) => examples[index]!))
        .forEach((score, position) => (scores[testIndices[position]!] = score));
    }
    const chosen = chooseThreshold(scores, labels, tuningRecallFloor);
    log(`l2 ${l2}: cross-validated ${JSON.stringify(chosen)}`);
    return { l2, scores, chosen };
  });
  const best = crossValidated.reduce((x, y) => (y.chosen.precision > x.chosen.precision ? y : x));
  const { table, model } = trainOn(examples, best.l2);
  const inSample = pointAt(decisionScores(model, examples), labels, best.chosen.threshold);
  const file: ParaphraseModelFile = {
    inputs: [...paraphraseInputNames], means: model.means.map((value) => round(value)),
    scales: model.scales.map((value) => round(value)), weights: model.weights.map((value) => round(value)),
    bias: round(model.bias), threshold: best.chosen.threshold, minimumCosine, documentFrequencies: table,
    trainedOn: {
      data: 'eval/paraphrase/dev.jsonl', dataSha256: fileSha256(dataPath), dataRows: rows.length, splitRule,
      trainingRows: tuningRows.length, heldOutRowsNotRead: rows.length - tuningRows.length, embedder,
      folds, foldRule: 'fnv1a("fold\\n" + a + "\\n" + b) % 5', l2Candidates, l2: best.l2,
      thresholdRule: `highest cross-validated precision with recall >= ${tuningRecallFloor}, vetoes and floor applied`,
      crossValidated: crossValidated.map(({ l2, chosen }) => ({ l2, ...chosen })),
      crossValidatedCurve: [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9].map((t) => pointAt(best.scores, labels, t)),
      tuningRowsInSample: inSample,
    },
  };
  writeFileSync(outputPath, `${JSON.stringify(file)}\n`);
  const { documentFrequencies: _table, ...summary } = file;
  console.log(JSON.stringify({ ...summary, documentFrequencyStems: Object.keys(table.counts).length }));
}

// Run as a script; the bench imports the split rule and the embedding helper from here.
if (require.main === module)
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
