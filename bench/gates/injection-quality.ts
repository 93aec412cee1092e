// Injection detection quality on a labelled `{text, label}` JSONL file (1 = injection).
//   npm run bench:gates:injection -- [file.jsonl]      (default ../shared/eval/injection/dev.jsonl)
// Prints one JSON line on stdout (nothing else goes there):
// - `trainingData`: whether this file is the shipped model's development file and how many of
//   its rows the shipped model was trained on (from the provenance saved beside its weights);
// - `shippedModel`: the gate as it ships (rules + trained classifier), its parts and a naive
//   keyword list, scored on the rows of this file the shipped model never trained on;
//   `shippedModelAllRows` adds the rows it did train on, and says how many (optimistic);
// - `estimateRetrainedOnThisFile`: 5-fold cross-validation of a model retrained on this file,
//   an estimate for that model, not for the one that ships;
// - `falsePositiveRate`: on this file's benign rows, and on benign text from other eval sets
//   (each with its source named);
// - `heldOutTemplates`: the gate on prompts generated from the templates held out of training
//   (scripts/train-prompt-templates.ts): phrasings of injections and of ordinary instruction
//   prompts the classifier never saw;
// - `secondStage`: when the MiniLM files are installed, the gate with its second stage
//   (TwoStageInjectionGate) on the same unseen rows, held-out templates and benign pool, beside the
//   first stage alone, with the share of texts in the band it embeds, and on the short prompts of
//   bench/gates/short-prompts.ts (`shortPrompts`: benign ones flagged, injections caught) and
//   bench/gates/persona-prompts.ts (`personaPrompts`: persona and system prompts flagged, persona jailbreaks caught);
// - `tradeOff`: precision, recall and false-positive rate at other review thresholds, to choose
//   an operating point (the benign pool is every held-out benign source above, pooled).
import { join } from 'node:path';
import { z } from 'zod';
import injectionModelFile from '../../activities/gates/injection/injection-model.json';
import { injectionGateConfigSchema } from '../../contracts/gate-config';
import {
  InjectionGate, injectionSecondStageModel, scoreInjection, TwoStageInjectionGate,
} from '../../activities/gates/injection/injection-gate';
import { installedMiniLmFiles, OnnxEmbedder } from '../../activities/retrieval/onnx-embedder';
import { naiveKeywordScore } from '../../activities/gates/injection/injection-rules';
import { benignText } from './benign-text';
import { personaJailbreaks, personaPrompts, systemPrompts } from './persona-prompts';
import {
  jailbreakWordInjections, jailbreakWordQuestions, shortBenignPrompts, shortInjections,
} from './short-prompts';
import { outOfFoldProbabilities } from './cross-validate';
import { binaryMetrics, readJsonLines } from './metrics';
import {
  fileSha256, isHeldOut, shippedModelFigures, shippedProvenance, textHash, trainingOverlap,
} from './training-provenance';
import { templatePromptHalf } from '../../scripts/train-prompt-templates';

const file = process.argv[2] ?? join(__dirname, '..', '..', '..', 'shared', 'eval', 'injection', 'dev.jsonl');
const rows = readJsonLines(file).map((row) => z.object({ text: z.string(), label: z.number().int() }).parse(row));
const labels = rows.map((row) => row.label);
const thresholds = injectionGateConfigSchema.parse({});
const gate = new InjectionGate(thresholds);
const provenance = shippedProvenance(injectionModelFile);
const fileHash = fileSha256(file);
const { overlap, seen } = trainingOverlap(provenance, fileHash, rows.map((row) => row.text));

const scores = rows.map((row) => scoreInjection(row.text));
const actions = rows.map((row) => gate.check(row.text).action);
const flags = {
  gate: actions.map((action) => action !== 'allow'),
  gateBlockOnly: actions.map((action) => action === 'block'),
  rulesOnly: scores.map((score) => score.rules >= thresholds.reviewThreshold),
  classifierOnly: scores.map((score) => score.classifier >= thresholds.reviewThreshold),
  naiveKeywordBaseline: rows.map((row) => naiveKeywordScore(row.text) === 1),
};

/** Every metric over the rows `keep` selects. */
function scoredOn(keep: (index: number) => boolean) {
  const pick = <T>(values: readonly T[]) => values.filter((_, index) => keep(index));
  const kept = pick(labels);
  return {
    rows: kept.length, positives: kept.filter((label) => label === 1).length,
    ...Object.fromEntries(Object.entries(flags).map(([name, flagged]) => [name, binaryMetrics(pick(flagged), kept)])),
  };
}

// A model retrained per fold as the training script does: this file's other folds plus the
// benign training half of the other eval sets. It describes such a model, not the shipped one.
const benignTraining = benignText('train');
const benignTrainingTexts = [...benignTraining.wikipediaParagraphs, ...benignTraining.quoraQuestions];
const outOfFold = outOfFoldProbabilities(rows.map((row) => row.text), labels, 5, benignTrainingTexts);
const crossValidated = scores.map((score, index) => 1 - (1 - score.rules) * (1 - outOfFold[index]!));

// Benign text from other eval sets, minus any text the shipped model was trained on.
const trained = new Set(provenance.trainedTextHashes);
const heldOut = benignText('heldOut');
const unseenText = (texts: readonly string[]) => texts.filter((text) => !trained.has(textHash(text)));
const [paragraphs, questions] = [unseenText(heldOut.wikipediaParagraphs), unseenText(heldOut.quoraQuestions)];
const squadQuestions = unseenText(heldOut.squadQuestions);
const moderationFile = join(__dirname, '..', '..', '..', 'shared', 'eval', 'moderation', 'dev.jsonl');
const moderationTexts = unseenText(
  readJsonLines(moderationFile).map((row) => z.object({ text: z.string() }).parse(row).text).filter(isHeldOut),
);
const rate = (count: number, total: number) => Math.round((count / Math.max(1, total)) * 1000) / 1000;
const share = (texts: readonly string[], flag: (text: string) => boolean) =>
  rate(texts.filter(flag).length, texts.length);
const falsePositiveRate = (flag: (text: string, source: 'user' | 'document') => boolean) => ({
  wikipediaParagraphsAsDocuments: share(paragraphs, (text) => flag(text, 'document')),
  quoraQuestions: share(questions, (text) => flag(text, 'user')),
  squadQuestions: share(squadQuestions, (text) => flag(text, 'user')),
  moderationTextsAsPrompts: share(moderationTexts, (text) => flag(text, 'user')),
});
const gateFlags = (text: string, source: 'user' | 'document') =>
  gate.check(text, { tenant: 'bench', feature: 'qa', source }).action !== 'allow';
const benignRowsOfThisFile = rows.map((_, index) => index).filter((index) => labels[index] === 0 && !seen[index]);
const ofBenignRows = (flagged: readonly boolean[]) =>
  rate(benignRowsOfThisFile.filter((index) => flagged[index]).length, benignRowsOfThisFile.length);

// Generated prompts of the templates held out of training (never trained on, by construction).
const templates = templatePromptHalf('heldOut').filter((row) => !trained.has(textHash(row.text)));
const templateScores = templates.map((row) => scoreInjection(row.text).combined);
const templateLabels = templates.map((row) => row.label);

// Every held-out benign text, pooled, with the source it is scored as.
const benignPool: { text: string; source: 'user' | 'document' }[] = [
  ...benignRowsOfThisFile.map((index) => ({ text: rows[index]!.text, source: 'user' as const })),
  ...paragraphs.map((text) => ({ text, source: 'document' as const })),
  ...[...questions, ...squadQuestions, ...moderationTexts].map((text) => ({ text, source: 'user' as const })),
  ...templates.filter((row) => row.label === 0).map((row) => ({ text: row.text, source: 'user' as const })),
];
const benignPoolScores = benignPool.map((item) => scoreInjection(item.text, item.source).combined);
const unseenIndices = rows.map((_, index) => index).filter((index) => !seen[index]);
const tradeOff = [0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9].map((threshold) => ({
  threshold,
  thisFileUnseenRows: binaryMetrics(
    unseenIndices.map((index) => scores[index]!.combined >= threshold), unseenIndices.map((index) => labels[index]!),
  ),
  heldOutTemplates: binaryMetrics(templateScores.map((score) => score >= threshold), templateLabels),
  benignPoolFlagged: rate(benignPoolScores.filter((score) => score >= threshold).length, benignPool.length),
}));

/**
 * Prompts written for the bench, by group: the share of each group flagged, by the first stage and by both.
 * Benign groups should stay near 0, injection groups near 1.
 */
async function writtenPromptFigures(
  flagged: (items: readonly { text: string; source: 'user' | 'document' }[]) => Promise<boolean[]>,
  groups: Readonly<Record<string, readonly string[]>>,
) {
  const asUser = (texts: readonly string[]) => texts.map((text) => ({ text, source: 'user' as const }));
  const figures: Record<string, { prompts: number; flagged: { firstStage: number; twoStage: number } }> = {};
  for (const [name, texts] of Object.entries(groups)) {
    const firstStage = texts.filter((text) => scoreInjection(text).combined >= thresholds.reviewThreshold).length;
    const twoStage = (await flagged(asUser(texts))).filter(Boolean).length;
    figures[name] = {
      prompts: texts.length,
      flagged: { firstStage: rate(firstStage, texts.length), twoStage: rate(twoStage, texts.length) },
    };
  }
  return figures;
}

/** The gate with and without its second stage, on the unseen rows, held-out templates and benign pool. */
async function secondStageFigures() {
  const files = installedMiniLmFiles(join(__dirname, '..', '..'));
  if (!files || process.env.SLUICE_SKIP_MODELS) return { skipped: 'the MiniLM files are not installed' };
  const embedder = await OnnxEmbedder.load(files);
  const model = injectionSecondStageModel();
  const twoStage = new TwoStageInjectionGate(thresholds, { model, embedder });
  const flagged = async (items: readonly { text: string; source: 'user' | 'document' }[]) => {
    const result: boolean[] = [];
    for (const item of items) {
      result.push((await twoStage.check(item.text, { tenant: 'bench', feature: 'qa', source: item.source })).action !== 'allow');
    }
    return result;
  };
  const inBand = (score: number) => score >= model.bandFrom && score < thresholds.reviewThreshold;
  const unseenRows = unseenIndices.map((index) => ({ text: rows[index]!.text, source: 'user' as const }));
  const unseenLabels = unseenIndices.map((index) => labels[index]!);
  const templateItems = templates.map((row) => ({ text: row.text, source: 'user' as const }));
  const result = {
    model: { embedder: model.embedder, bandFrom: model.bandFrom, reviewAt: model.reviewAt },
    thisFileUnseenRows: {
      firstStage: binaryMetrics(unseenIndices.map((index) => flags.gate[index]!), unseenLabels),
      twoStage: binaryMetrics(await flagged(unseenRows), unseenLabels),
    },
    heldOutTemplates: {
      firstStage: binaryMetrics(templateScores.map((score) => score >= thresholds.reviewThreshold), templateLabels),
      twoStage: binaryMetrics(await flagged(templateItems), templateLabels),
    },
    shortPrompts: await writtenPromptFigures(flagged, { benign: shortBenignPrompts, injections: shortInjections }),
    jailbreakWords: await writtenPromptFigures(
      flagged, { questions: jailbreakWordQuestions, injections: jailbreakWordInjections },
    ),
    personaPrompts: await writtenPromptFigures(
      flagged, { personas: personaPrompts, systemPrompts, personaJailbreaks },
    ),
    benignPool: {
      texts: benignPool.length,
      firstStageFlagged: rate(benignPoolScores.filter((score) => score >= thresholds.reviewThreshold).length, benignPool.length),
      twoStageFlagged: rate((await flagged(benignPool)).filter(Boolean).length, benignPool.length),
      shareInBand: rate(benignPoolScores.filter(inBand).length, benignPool.length),
    },
  };
  await embedder.close();
  return result;
}

void secondStageFigures().then((secondStage) => console.log(JSON.stringify({
  bench: 'injection-quality',
  file: file.replace(/^.*\/eval\//, 'eval/'),
  fileSha256: fileHash,
  rows: rows.length,
  positives: labels.filter((label) => label === 1).length,
  trainingData: overlap,
  flaggedAt: `action != allow (score >= ${thresholds.reviewThreshold})`,
  ...shippedModelFigures(overlap, seen, scoredOn),
  estimateRetrainedOnThisFile: {
    what: 'estimate of a model retrained on this file (5-fold cross-validation, plus the benign training texts), '
      + 'not the shipped one',
    gate: binaryMetrics(crossValidated.map((score) => score >= thresholds.reviewThreshold), labels),
  },
  falsePositiveRate: {
    thisFilesBenignRows: {
      source: 'label-0 rows of this file the shipped model was not trained on', rows: benignRowsOfThisFile.length,
      gate: ofBenignRows(flags.gate), naiveKeywordBaseline: ofBenignRows(flags.naiveKeywordBaseline),
    },
    otherBenignText: {
      source: 'odd rows of eval/rag/corpus.jsonl (scored as documents) and of the first 2000 questions in '
        + 'eval/paraphrase/dev.jsonl, less any text the shipped model was trained on; not the file given',
      wikipediaParagraphs: paragraphs.length, quoraQuestions: questions.length,
      gate: falsePositiveRate(gateFlags),
      naiveKeywordBaseline: falsePositiveRate((text) => naiveKeywordScore(text) === 1),
    },
    benignPool: {
      source: 'all of the above, pooled (rows of this file, other sets, held-out benign templates)',
      texts: benignPool.length,
      gate: rate(benignPoolScores.filter((score) => score >= thresholds.reviewThreshold).length, benignPool.length),
    },
  },
  heldOutTemplates: {
    source: 'scripts/train-prompt-templates.ts, templates held out of training (generated, not public data)',
    rows: templates.length, positives: templateLabels.filter((label) => label === 1).length,
    gate: binaryMetrics(templateScores.map((score) => score >= thresholds.reviewThreshold), templateLabels),
  },
  tradeOff,
  secondStage,
})));
