// Trains the safety gate's second stage (activities/gates/output/safety-gate.ts): logistic regression
// over the all-MiniLM-L6-v2 embedding of the window the first stage scored highest, plus two more
// features, each as its logit / 4: the first stage's score and alt-profanity-check's probability for
// that window (activities/gates/text/profanity-model.ts, a model trained elsewhere on far more text).
//   npm run train:safety:second-stage   (needs the model files under .tools/models; a few minutes)
// Training rows: exactly the first stage's (scripts/train-linear-gate.ts safety): the training split
// of eval/moderation/dev.jsonl (the held-out rule of bench/gates/training-provenance.ts; each row
// counts `devRowRepeat` times), the tweets of eval/moderation/train.jsonl and the benign even rows
// (weighted `extraWeight`), and PyRIT's scored model answers (scripts/pyrit-training-data.ts, `answerWeight`).
// The first-stage score a row trains with is out of fold: each fold's rows, dev and extra alike, are scored by
// a first stage retrained without that fold (with the shipped model's bias shift), so the second stage learns
// how far to trust a score on unseen text.
// The band's lower end and the review threshold are chosen by 5-fold cross-validation on the dev
// training rows: the best F1 of the whole gate whose precision stays within 0.01 of the first
// stage's alone and which flags no more of the benign training text (scored out of fold too) than
// the first stage alone does. Held-out rows and held-out benign text are only reported.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import safetyModelFile from '../activities/gates/output/safety-model.json';
import { safetyScores } from '../activities/gates/output/safety-gate';
import { safetySecondStagePath } from '../activities/gates/output/safety-second-stage';
import { denseProbability, trainDenseLogisticRegression, type DenseRow } from '../activities/gates/text/dense-logistic';
import { hashedFeatures } from '../activities/gates/text/hashed-features';
import { trainLogisticRegression } from '../activities/gates/text/linear-model';
import { matchingText } from '../activities/gates/text/normalise';
import { firstStageFeature, profanityFeature } from '../activities/gates/text/second-stage';
import { installedMiniLmFiles, OnnxEmbedder } from '../activities/retrieval/onnx-embedder';
import { benignText } from '../bench/gates/benign-text';
import { chooseOperatingPoint, classifierHyperParameters, modelFromWeights } from '../bench/gates/cross-validate';
import { binaryMetrics, foldOf, readJsonLines } from '../bench/gates/metrics';
import { isHeldOut, trainingProvenance } from '../bench/gates/training-provenance';
import { exitOnMissingTrainingData } from './pyrit-training-data';
import { extraTrainingRows, safetyExtraSources } from './train-linear-gate';

const projectRoot = join(__dirname, '..');
const dataPath = join(projectRoot, '..', 'shared', 'eval', 'moderation', 'dev.jsonl');
const folds = 5;
/** The gate's defaults (contracts/gate-config.ts): the band ends where the first stage blocks. */
const reviewThreshold = 0.5;
const blockThreshold = 0.85;
const candidateBandFrom = [0.1, 0.2, 0.3];
const candidateReviewAt = [0.3, 0.4, 0.5, 0.6, 0.7];
/**
 * As the first stage: dev rows three times, positives weighted; tweets and benign text weigh less, scored model
 * answers (the text the gate checks) as one dev row: chosen by cross-validated F1 on the dev training rows
 * among weights 0.3, 1 and 3 for the answers, with the first stage reading them once or three times.
 */
const hyper = {
  epochs: 20, learningRate: 0.1, l2: 1e-4, positiveWeight: 1.3, devRowRepeat: 3, extraWeight: 0.3, answerWeight: 1,
};
const moderationRow = z.object({ text: z.string(), flagged: z.number().int() });

/** The first stage's bias shift, recorded by scripts/train-linear-gate.ts beside its weights. */
const firstStageShift = z.object({ biasShift: z.object({ shift: z.number() }) })
  .parse(safetyModelFile.trainedOn).biasShift.shift;

/** Out-of-fold first-stage scores (window max) of two row sets folded together by position. */
function outOfFoldFirstStage(
  dev: readonly { text: string; label: number }[], extra: readonly { text: string; label: number }[],
): { dev: number[]; extra: number[] } {
  const vectors = (rows: readonly { text: string }[]) => rows.map((row) => hashedFeatures(matchingText(row.text)));
  const [devVectors, extraVectors] = [vectors(dev), vectors(extra)];
  const result = { dev: new Array<number>(dev.length).fill(0), extra: new Array<number>(extra.length).fill(0) };
  for (let fold = 0; fold < folds; fold += 1) {
    const inTraining = (_: unknown, index: number) => foldOf(index, folds) !== fold;
    const devIndices = dev.map((_, index) => index).filter(inTraining);
    const repeated = Array.from({ length: hyper.devRowRepeat }, () => devIndices).flat();
    const extraIndices = extra.map((_, index) => index).filter(inTraining);
    const trained = trainLogisticRegression(
      [...repeated.map((index) => devVectors[index]!), ...extraIndices.map((index) => extraVectors[index]!)],
      [...repeated.map((index) => dev[index]!.label), ...extraIndices.map((index) => extra[index]!.label)],
      classifierHyperParameters,
    );
    const model = modelFromWeights(`fold-${fold}`, { weights: trained.weights, bias: trained.bias + firstStageShift });
    dev.forEach((row, index) => {
      if (foldOf(index, folds) === fold) result.dev[index] = safetyScores(row.text, model).score;
    });
    extra.forEach((row, index) => {
      if (foldOf(index, folds) === fold) result.extra[index] = safetyScores(row.text, model).score;
    });
  }
  return result;
}

/** The second stage's inputs for one window: its embedding, the first stage's score, its profanity. */
const features = (embedding: readonly number[], firstStage: number, span: string) => [
  ...embedding, firstStageFeature(firstStage), profanityFeature(span),
];
/** The gate's rule: the first stage decides below the band and from the block threshold up. */
const gateFlags = (stage1: readonly number[], stage2: readonly number[], bandFrom: number, reviewAt: number) =>
  stage1.map((score, index) => score >= blockThreshold
    || (score >= bandFrom ? stage2[index]! >= reviewAt : score >= reviewThreshold));
/** How many extra rows came from a source, from the counts extraTrainingRows reports. */
const extraRowsFrom = (sources: Record<string, number>, source: string) => z.number().int().parse(sources[source]);
const rate = (flags: readonly boolean[]) =>
  Math.round((flags.filter(Boolean).length / Math.max(1, flags.length)) * 1000) / 1000;

async function main(): Promise<void> {
  const files = installedMiniLmFiles(projectRoot);
  if (!files) throw new Error('the MiniLM files are missing from .tools/models: run `npm install`');
  const allRows = readJsonLines(dataPath).map((row) => moderationRow.parse(row))
    .map((row) => ({ text: row.text, label: row.flagged }));
  const rows = allRows.filter((row) => !isHeldOut(row.text));
  const heldOutRows = allRows.filter((row) => isHeldOut(row.text));
  const labels = rows.map((row) => row.label);
  const extra = extraTrainingRows('safety');
  const stage1 = outOfFoldFirstStage(rows, extra.rows);

  const embedder = await OnnxEmbedder.load(files, { threads: 2 });
  const devSpans = rows.map((row) => safetyScores(row.text).span);
  const extraSpans = extra.rows.map((row) => safetyScores(row.text).span);
  const devVectors = await embedder.embed(devSpans);
  const extraVectors = await embedder.embed(extraSpans);
  // Tweets first, then the scored model answers, then benign questions and paragraphs.
  const tweets = extraRowsFrom(extra.sources, safetyExtraSources.tweets);
  const answersEnd = tweets + extraRowsFrom(extra.sources, safetyExtraSources.modelAnswers);
  const benignExtra = extra.rows.map((_, index) => index).filter((index) => index >= answersEnd);
  const isAnswer = (index: number) => index >= tweets && index < answersEnd;
  const extraWeight = (index: number) => (isAnswer(index) ? hyper.answerWeight : hyper.extraWeight);
  const weightOf = (label: number) => (label === 1 ? hyper.positiveWeight : 1);
  // Each row's features once (the profanity score included), reused by every fold and the final model.
  const devRows: DenseRow[] = rows.map((row, index) => ({
    vector: features(devVectors[index]!, stage1.dev[index]!, devSpans[index]!), label: row.label,
    weight: hyper.devRowRepeat * weightOf(row.label),
  }));
  const extraRows: DenseRow[] = extra.rows.map((row, index) => ({
    vector: features(extraVectors[index]!, stage1.extra[index]!, extraSpans[index]!), label: row.label,
    weight: extraWeight(index) * weightOf(row.label),
  }));

  // Out-of-fold second-stage probabilities of the training rows, folded as the first stage was.
  const stage2 = new Array<number>(rows.length).fill(0);
  const extraStage2 = new Array<number>(extra.rows.length).fill(0);
  for (let fold = 0; fold < folds; fold += 1) {
    const keep = (index: number) => foldOf(index, folds) !== fold;
    const model = trainDenseLogisticRegression([
      ...devRows.filter((_, index) => keep(index)),
      ...extraRows.filter((_, index) => keep(index)),
    ], hyper);
    rows.forEach((_, index) => {
      if (!keep(index)) stage2[index] = denseProbability(model, devRows[index]!.vector);
    });
    for (const index of benignExtra) {
      if (!keep(index)) extraStage2[index] = denseProbability(model, extraRows[index]!.vector);
    }
  }
  const firstStageOnly = binaryMetrics(stage1.dev.map((score) => score >= reviewThreshold), labels);
  const benignStage1 = benignExtra.map((index) => stage1.extra[index]!);
  const benignStage2 = benignExtra.map((index) => extraStage2[index]!);
  const firstStageBenignFlagged = rate(benignStage1.map((score) => score >= reviewThreshold));
  const curve = candidateBandFrom.flatMap((bandFrom) => candidateReviewAt.map((reviewAt) => ({
    bandFrom, reviewAt, ...binaryMetrics(gateFlags(stage1.dev, stage2, bandFrom, reviewAt), labels),
    bandShare: rate(stage1.dev.map((score) => score >= bandFrom && score < blockThreshold)),
    benignFlagged: rate(gateFlags(benignStage1, benignStage2, bandFrom, reviewAt)),
  })));
  const chosen = chooseOperatingPoint(curve, firstStageOnly, firstStageBenignFlagged);

  const full = trainDenseLogisticRegression([...devRows, ...extraRows], hyper);

  // Held out: dev rows and benign text (never used above), scored by the shipped first stage.
  const evaluate = async (items: readonly { text: string; label: number }[]) => {
    const first = items.map((item) => safetyScores(item.text));
    const inBand = first.map((score) => score.score >= chosen.bandFrom && score.score < blockThreshold);
    const bandIndices = items.map((_, index) => index).filter((index) => inBand[index]);
    const vectors = await embedder.embed(bandIndices.map((index) => first[index]!.span));
    let next = 0;
    const second = first.map((score, index) => (inBand[index]
      ? denseProbability(full, features(vectors[next++]!, score.score, score.span)) : 0));
    const scores = first.map((score) => score.score);
    const itemLabels = items.map((item) => item.label);
    return { itemLabels, before: scores.map((score) => score >= reviewThreshold),
      after: gateFlags(scores, second, chosen.bandFrom, chosen.reviewAt), bandShare: rate(inBand) };
  };
  const heldOutDev = await evaluate(heldOutRows);
  const benign = benignText('heldOut');
  const heldOutBenign = await evaluate([...benign.quoraQuestions, ...benign.squadQuestions,
    ...benign.wikipediaParagraphs].map((text) => ({ text, label: 0 })));
  await embedder.close();

  const report = {
    hyper, folds, reviewThreshold, blockThreshold, firstStageShift, extraTrainingRows: extra.sources,
    crossValidatedOnDevTrainingRows: {
      firstStageOnly, firstStageBenignFlagged, curve, chosen: { bandFrom: chosen.bandFrom, reviewAt: chosen.reviewAt },
      rule: 'best F1 with precision at least the first stage\'s minus 0.01 and benign training text (out of fold) '
        + 'flagged no more than by the first stage (benign text must not pay for the recall)',
    },
    heldOut: {
      devRows: { firstStage: binaryMetrics(heldOutDev.before, heldOutDev.itemLabels),
        twoStage: binaryMetrics(heldOutDev.after, heldOutDev.itemLabels), bandShare: heldOutDev.bandShare },
      benignText: { texts: heldOutBenign.before.length, firstStageFlagged: rate(heldOutBenign.before),
        twoStageFlagged: rate(heldOutBenign.after), bandShare: heldOutBenign.bandShare },
    },
  };
  const provenance = trainingProvenance({
    dataPath, dataRows: allRows.length, trainingRows: rows.length, heldOutRows: heldOutRows.length,
    trainedTexts: [...rows, ...extra.rows].map((row) => row.text),
  });
  const round = (value: number) => Math.round(value * 1e5) / 1e5;
  const weights = Array.from(full.weights, round);
  const file = {
    name: 'safety-second-stage', embedder: embedder.id, dimensions: embedder.dimensions,
    bias: round(full.bias), weights: weights.slice(0, embedder.dimensions),
    firstStageWeight: weights[embedder.dimensions],
    profanityWeight: weights[embedder.dimensions + 1],
    bandFrom: chosen.bandFrom, reviewAt: chosen.reviewAt, trainedOn: { ...provenance, ...report },
  };
  writeFileSync(safetySecondStagePath, `${JSON.stringify(file)}\n`);
  const { trainedTextHashes, ...summary } = provenance;
  console.log(JSON.stringify({ ...summary, trainedTexts: trainedTextHashes.length, ...report,
    savedTo: safetySecondStagePath.replace(/^.*\/activities\//, 'activities/') }));
}

main().catch(exitOnMissingTrainingData);
