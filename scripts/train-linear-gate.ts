// Trains a gate's logistic-regression classifier on hashed n-grams from the training split of a
// development set (about 1 row in 5, chosen by a hash of its text, is held out: see
// bench/gates/training-provenance.ts) plus extra training text that is not scored as quality,
// reports its metrics on the held-out rows and k-fold cross-validated metrics on the training
// rows, and saves the weights as JSON next to the gate with their provenance: the file's sha256
// and row counts, the split rule and a hash of every text trained on, so benches can tell which
// rows of a file the shipped model has seen.
//   npm run train:injection
//     (eval/injection/dev.jsonl  → activities/gates/injection/injection-model.json)
//     extra: benign halves of other eval sets (Quora, SQuAD, Wikipedia, moderation texts) and the
//     training templates of scripts/train-prompt-templates.ts, and jailbreak prompts from PyRIT's wheel
//     (scripts/pyrit-training-data.ts); long benign texts also train in the windows and passages the gate
//     scores them in.
//   npm run train:safety
//     (eval/moderation/dev.jsonl → activities/gates/output/safety-model.json)
//     extra: eval/moderation/train.jsonl (tweets, another distribution; dev rows count three times
//     to outweigh it), model answers with human harm scores from PyRIT's wheel (scripts/pyrit-training-data.ts;
//     the first run downloads it with pip) and benign questions and paragraphs, so ordinary answers are not flagged.
//     The bias is then shifted so that 0.5 sits at the threshold that maximised cross-validated F1
//     on the dev training rows (never on the held-out rows).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { classifierSpans, scoreInjection } from '../activities/gates/injection/injection-gate';
import { featureBuckets, hashedFeatures } from '../activities/gates/text/hashed-features';
import { trainLogisticRegression } from '../activities/gates/text/linear-model';
import { matchingText } from '../activities/gates/text/normalise';
import {
  classifierHyperParameters, modelFromWeights, outOfFoldProbabilities, type LabelledText,
} from '../bench/gates/cross-validate';
import { benignText } from '../bench/gates/benign-text';
import { binaryMetrics, readJsonLines } from '../bench/gates/metrics';
import { isHeldOut, trainingProvenance } from '../bench/gates/training-provenance';
import { exitOnMissingTrainingData, pyritHarmAnswers, pyritJailbreaks } from './pyrit-training-data';
import { templatePromptHalf } from './train-prompt-templates';

const evalDir = join(__dirname, '..', '..', 'shared', 'eval');
const moderationRow = z.object({ text: z.string(), flagged: z.number().int() });
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
    row: moderationRow.transform((row) => ({ text: row.text, label: row.flagged })),
  },
} as const;
export type TaskName = keyof typeof tasks;

const folds = 5;
// Weights smaller than this change no decision measurably and would only grow the JSON file.
const pruneBelow = 5e-3;

/** Tweets keep HTML entities and links; neither says anything about the text's safety. */
function tweetText(text: string): string {
  return text.replace(/&#\d+;|&amp;|&lt;|&gt;|&quot;/g, ' ').replace(/https?:\/\/\S+/g, ' ');
}

/** The safety model's extra rows, in this order: tweets, scored model answers, then benign text. */
export const safetyExtraSources = {
  tweets: 'eval/moderation/train.jsonl (all rows)',
  modelAnswers: 'PyRIT 1.1.0 model answers with human harm scores (scripts/pyrit-training-data.ts), not held out',
} as const;

/** Each dev training row of the safety model counts this many times against the tweets. */
const safetyDevRepeat = 3;

/**
 * Training rows from outside the development file, by task. None of them is scored as quality:
 * the held-out halves of the same sources are what the benches measure false positives on.
 */
export function extraTrainingRows(
  taskName: TaskName, options: { pieces?: boolean } = {},
): { rows: LabelledText[]; sources: Record<string, number> } {
  const benign = benignText('train');
  if (taskName === 'safety') {
    const tweets = readJsonLines(join(evalDir, 'moderation', 'train.jsonl'))
      .map((row) => moderationRow.parse(row))
      .map((row) => ({ text: tweetText(row.text), label: row.flagged }));
    const ordinary = [...benign.quoraQuestions, ...benign.squadQuestions, ...benign.wikipediaParagraphs];
    const answers = pyritHarmAnswers();
    return {
      rows: [...tweets, ...answers, ...ordinary.map((text) => ({ text, label: 0 }))],
      sources: {
        [safetyExtraSources.tweets]: tweets.length,
        [safetyExtraSources.modelAnswers]: answers.length,
        'benign questions and paragraphs (even rows)': ordinary.length,
      },
    };
  }
  const moderationTexts = readJsonLines(join(evalDir, 'moderation', 'dev.jsonl'))
    .map((row) => moderationRow.parse(row).text).filter((text) => !isHeldOut(text));
  const tweets = readJsonLines(join(evalDir, 'moderation', 'train.jsonl'))
    .map((row) => tweetText(moderationRow.parse(row).text)).filter((_, index) => index % 2 === 0).slice(0, 1000);
  const templates = templatePromptHalf('train');
  const jailbreaks = pyritJailbreaks();
  const negatives = [
    ...benign.quoraQuestions, ...benign.squadQuestions, ...benign.wikipediaParagraphs, ...moderationTexts, ...tweets,
    ...templates.filter((row) => row.label === 0).map((row) => row.text),
  ];
  // The gate scores long texts window by window and passage by passage: learn benign text in those pieces too.
  const pieces = options.pieces === false ? [] : negatives.filter((text) => text.length > 200)
    .flatMap((text) => classifierSpans(matchingText(text)).filter((span) => span.length < text.length));
  return {
    rows: [
      ...templates.filter((row) => row.label === 1).map((row) => ({ text: row.text, label: 1 })),
      ...jailbreaks,
      ...[...negatives, ...pieces].map((text) => ({ text, label: 0 })),
    ],
    sources: {
      'benign questions and paragraphs (even rows)':
        benign.quoraQuestions.length + benign.squadQuestions.length + benign.wikipediaParagraphs.length,
      'eval/moderation/dev.jsonl texts, not held out (as benign prompts)': moderationTexts.length,
      'eval/moderation/train.jsonl texts (even rows, first 1000)': tweets.length,
      'generated prompts, training templates (benign)': templates.filter((row) => row.label === 0).length,
      'generated prompts, training templates (injection)': templates.filter((row) => row.label === 1).length,
      'PyRIT 1.1.0 jailbreak prompts, Arth_Singh and pliny (scripts/pyrit-training-data.ts), not held out':
        jailbreaks.length,
      'windows and passages of the long benign texts': pieces.length,
    },
  };
}

/**
 * The bias shift that puts 0.5 at the threshold with the best cross-validated F1 on the dev
 * training rows among those whose cross-validated precision is at least `precisionFloor` (a
 * flagged answer waits for a person, so most flags must be real); the curve is reported.
 */
function biasShiftForBestF1(probabilities: readonly number[], labels: readonly number[], precisionFloor = 0.7) {
  const curve = [];
  for (let step = 2; step <= 8; step += 1) {
    const threshold = step / 10;
    curve.push({ threshold, ...binaryMetrics(probabilities.map((p) => p >= threshold), labels) });
  }
  const eligible = curve.filter((point) => point.precision >= precisionFloor);
  const best = (eligible.length ? eligible : curve).reduce((a, b) => (b.f1 > a.f1 ? b : a));
  return {
    shift: -Math.log(best.threshold / (1 - best.threshold)), threshold: best.threshold, precisionFloor,
    crossValidatedCurve: curve.map(({ threshold, precision, recall, f1 }) => ({ threshold, precision, recall, f1 })),
  };
}

function main(): void {
  const taskName = process.argv[2] as TaskName;
  const task = tasks[taskName];
  if (!task) throw new Error(`usage: train-linear-gate.ts <${Object.keys(tasks).join('|')}> [data.jsonl]`);
  const dataPath = process.argv[3] ?? task.data;
  const allRows = readJsonLines(dataPath).map((row) => task.row.parse(row));
  const rows = allRows.filter((row) => !isHeldOut(row.text));
  const heldOutRows = allRows.filter((row) => isHeldOut(row.text));
  const texts = rows.map((row) => row.text);
  const labels = rows.map((row) => row.label);
  const rowRepeat = taskName === 'safety' ? safetyDevRepeat : 1;

  const extra = extraTrainingRows(taskName);
  const outOfFold = outOfFoldProbabilities(texts, labels, folds, extra.rows, { rowRepeat });
  const vectors = texts.map((text) => hashedFeatures(matchingText(text)));
  const extraVectors = extra.rows.map((row) => hashedFeatures(matchingText(row.text)));
  const repeatedVectors = Array.from({ length: rowRepeat }, () => vectors).flat();
  const repeatedLabels = Array.from({ length: rowRepeat }, () => labels).flat();
  const full = trainLogisticRegression(
    [...repeatedVectors, ...extraVectors],
    [...repeatedLabels, ...extra.rows.map((row) => row.label)],
    classifierHyperParameters,
  );
  // The safety gate reviews at 0.5 (contracts/gate-config.ts); move the model's scale so that 0.5
  // is its best cross-validated threshold. The injection model keeps its own scale: at 0.5 it
  // already flags well under 1% of the held-out benign text (see the bench).
  const calibration = taskName === 'safety' ? biasShiftForBestF1(outOfFold, labels) : { shift: 0 };
  full.bias += calibration.shift;
  const outOfFoldCalibrated = outOfFold.map((p) => 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + calibration.shift))));
  const fullModel = modelFromWeights(taskName, full);

  const heldOutLabels = heldOutRows.map((row) => row.label);
  const report: Record<string, unknown> = {
    task: taskName, folds, hyper: classifierHyperParameters, devRowRepeat: rowRepeat,
    extraTrainingRows: extra.sources,
    ...(taskName === 'safety' ? { biasShift: { ...calibration, chosenOn: 'cross-validated dev training rows' } } : {}),
    classifierHeldOut: binaryMetrics(
      heldOutRows.map((row) => fullModel.probability(matchingText(row.text)) >= 0.5), heldOutLabels,
    ),
    classifierCrossValidatedOnTrainingRows: binaryMetrics(outOfFoldCalibrated.map((p) => p >= 0.5), labels),
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
    report.classifierFalsePositiveRateHeldOut = {
      wikipediaParagraphs: flaggedShare(heldOut.wikipediaParagraphs),
      quoraQuestions: flaggedShare(heldOut.quoraQuestions),
      squadQuestions: flaggedShare(heldOut.squadQuestions),
    };
    // The shipped gate combines rules with the classifier; cross-validate that combination too.
    const combined = texts.map(
      (text, index) => 1 - (1 - scoreInjection(text, 'user', undefined).rules) * (1 - outOfFold[index]!),
    );
    report.gateCrossValidatedOnTrainingRowsAtReview05 = binaryMetrics(combined.map((score) => score >= 0.5), labels);
    const heldOutCombined = heldOutRows.map((row) => scoreInjection(row.text, 'user', fullModel).combined);
    report.gateHeldOutAtReview05 = binaryMetrics(heldOutCombined.map((score) => score >= 0.5), heldOutLabels);
  }
  const provenance = trainingProvenance({
    dataPath, dataRows: allRows.length, trainingRows: rows.length, heldOutRows: heldOutRows.length,
    trainedTexts: [...texts, ...extra.rows.map((row) => row.text)],
  });
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

// Run as a script; the second-stage trainer imports the training rows from here.
if (require.main === module) {
  try {
    main();
  } catch (error) {
    exitOnMissingTrainingData(error);
  }
}
