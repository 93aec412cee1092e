// Injection detection quality on a labelled `{text, label}` JSONL file (1 = injection).
//   npm run bench:gates:injection -- [file.jsonl]      (default ../shared/eval/injection/dev.jsonl)
// Prints one JSON line: the shipped gate (rules + trained classifier) flagging at its review
// threshold, rules alone, the classifier alone, a naive keyword list, and 5-fold cross-validated
// metrics of the gate retrained on this file's folds. The shipped classifier was trained on
// eval/injection/dev.jsonl, so its whole-set numbers on that file are optimistic; the
// cross-validated ones are the honest estimate there. It also prints the false-positive rate on
// held-out benign Wikipedia paragraphs and Quora questions (odd rows of eval/rag and eval/paraphrase).
import { join } from 'node:path';
import { z } from 'zod';
import { injectionGateConfigSchema } from '../../contracts/gate-config';
import { InjectionGate, scoreInjection } from '../../activities/gates/injection/injection-gate';
import { naiveKeywordScore } from '../../activities/gates/injection/injection-rules';
import { benignText } from './benign-text';
import { outOfFoldProbabilities } from './cross-validate';
import { binaryMetrics, readJsonLines } from './metrics';

const file = process.argv[2] ?? join(__dirname, '..', '..', '..', 'shared', 'eval', 'injection', 'dev.jsonl');
const rows = readJsonLines(file).map((row) => z.object({ text: z.string(), label: z.number().int() }).parse(row));
const labels = rows.map((row) => row.label);
const thresholds = injectionGateConfigSchema.parse({});
const gate = new InjectionGate(thresholds);

const scores = rows.map((row) => scoreInjection(row.text));
// Retrained per fold as the training script does: this file's other folds plus the benign
// training half of the other dev sets.
const benignTraining = benignText('train');
const outOfFold = outOfFoldProbabilities(rows.map((row) => row.text), labels, 5, [...benignTraining.wikipediaParagraphs, ...benignTraining.quoraQuestions]);
// False positives on ordinary traffic the classifier never trained on (held-out odd rows).
const heldOut = benignText('heldOut');
const flaggedShare = (texts: readonly string[], flag: (text: string) => boolean) => Math.round((texts.filter(flag).length / Math.max(1, texts.length)) * 1000) / 1000;
const falsePositiveRate = (flag: (text: string, source: 'user' | 'document') => boolean) => ({
  wikipediaParagraphsAsDocuments: flaggedShare(heldOut.wikipediaParagraphs, (text) => flag(text, 'document')),
  quoraQuestions: flaggedShare(heldOut.quoraQuestions, (text) => flag(text, 'user')),
});
const crossValidated = scores.map((score, index) => 1 - (1 - score.rules) * (1 - outOfFold[index]!));

console.log(JSON.stringify({
  bench: 'injection-quality',
  file: file.replace(/^.*\/eval\//, 'eval/'),
  rows: rows.length,
  positives: labels.filter((label) => label === 1).length,
  flaggedAt: `action != allow (score >= ${thresholds.reviewThreshold})`,
  gate: binaryMetrics(rows.map((row) => gate.check(row.text).action !== 'allow'), labels),
  gateBlockOnly: binaryMetrics(rows.map((row) => gate.check(row.text).action === 'block'), labels),
  rulesOnly: binaryMetrics(scores.map((score) => score.rules >= thresholds.reviewThreshold), labels),
  classifierOnly: binaryMetrics(scores.map((score) => score.classifier >= thresholds.reviewThreshold), labels),
  gateCrossValidated5Fold: binaryMetrics(crossValidated.map((score) => score >= thresholds.reviewThreshold), labels),
  naiveKeywordBaseline: binaryMetrics(rows.map((row) => naiveKeywordScore(row.text) === 1), labels),
  heldOutBenign: { wikipediaParagraphs: heldOut.wikipediaParagraphs.length, quoraQuestions: heldOut.quoraQuestions.length },
  gateFalsePositiveRateHeldOut: falsePositiveRate((text, source) => gate.check(text, { tenant: 'bench', feature: 'qa', source }).action !== 'allow'),
  naiveKeywordFalsePositiveRateHeldOut: falsePositiveRate((text) => naiveKeywordScore(text) === 1),
}));
