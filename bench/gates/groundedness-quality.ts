// Groundedness gate quality, built from the labelled RAG set (SQuAD questions with gold passage
// and evidence sentences): no labelled groundedness data exists in eval/, so claims are made
// from it, each cited as [1] against one passage.
//   npm run bench:gates:groundedness -- [questions.jsonl corpus.jsonl]
// Grounded claims (should pass): the gold evidence sentence; "<answer>: <question>" against the
// gold passage. Ungrounded claims (should be flagged): the same claims against a passage of
// another article; and the question with another question's answer (a swapped fact) against the
// gold passage, the hard case for a word-overlap check. Positive class = ungrounded.
import { join } from 'node:path';
import { z } from 'zod';
import { groundednessGateConfigSchema } from '../../contracts/gate-config';
import { GroundednessGate } from '../../activities/gates/output/groundedness-gate';
import { binaryMetrics, readJsonLines } from './metrics';

const ragDir = join(__dirname, '..', '..', '..', 'shared', 'eval', 'rag');
const questionsFile = process.argv[2] ?? join(ragDir, 'questions.jsonl');
const corpusFile = process.argv[3] ?? join(ragDir, 'corpus.jsonl');
const questions = readJsonLines(questionsFile).map((row) => z.object({ question: z.string(), answers: z.array(z.string()).min(1), gold_doc: z.string(), evidence: z.array(z.string()) }).parse(row));
const corpus = new Map(readJsonLines(corpusFile).map((row) => z.object({ id: z.string(), title: z.string(), text: z.string() }).parse(row)).map((doc) => [doc.id, doc]));

const gate = new GroundednessGate(groundednessGateConfigSchema.parse({}));
type Case = { kind: string; claim: string; passage: string; ungrounded: boolean };
const cases: Case[] = [];
questions.forEach((question, index) => {
  const gold = corpus.get(question.gold_doc);
  // A passage from a different article, chosen deterministically.
  const other = [...corpus.values()].find((doc, docIndex) => docIndex >= (index * 7) % corpus.size && doc.title !== gold?.title);
  const swapped = questions.find((candidate, candidateIndex) => candidateIndex > index && candidate.answers[0] !== question.answers[0]) ?? questions[0]!;
  if (!gold || !other) return;
  const statement = `${question.answers[0]}: ${question.question.replace(/\?$/, '')}.`;
  if (question.evidence[0]) {
    cases.push({ kind: 'evidence-gold', claim: question.evidence[0], passage: gold.text, ungrounded: false });
    cases.push({ kind: 'evidence-other-article', claim: question.evidence[0], passage: other.text, ungrounded: true });
  }
  cases.push({ kind: 'statement-gold', claim: statement, passage: gold.text, ungrounded: false });
  cases.push({ kind: 'statement-other-article', claim: statement, passage: other.text, ungrounded: true });
  cases.push({ kind: 'swapped-answer-gold', claim: `${swapped.answers[0]}: ${question.question.replace(/\?$/, '')}.`, passage: gold.text, ungrounded: true });
});

const flagged = cases.map((item) => gate.check(`${item.claim} [1]`, { tenant: 'bench', feature: 'qa', evidence: [{ marker: 1, text: item.passage }] }).action !== 'allow');
const kinds = [...new Set(cases.map((item) => item.kind))];
console.log(JSON.stringify({
  bench: 'groundedness-quality',
  files: [questionsFile, corpusFile].map((file) => file.replace(/^.*\/eval\//, 'eval/')),
  cases: cases.length,
  positiveClass: 'ungrounded (flagged = action != allow)',
  gate: binaryMetrics(flagged, cases.map((item) => (item.ungrounded ? 1 : 0))),
  gateWithoutSwappedAnswers: binaryMetrics(flagged.filter((_, index) => cases[index]!.kind !== 'swapped-answer-gold'), cases.filter((item) => item.kind !== 'swapped-answer-gold').map((item) => (item.ungrounded ? 1 : 0))),
  flaggedRateByKind: Object.fromEntries(kinds.map((kind) => {
    const ofKind = cases.map((item, index) => ({ item, index })).filter(({ item }) => item.kind === kind);
    return [kind, Math.round((ofKind.filter(({ index }) => flagged[index]).length / ofKind.length) * 1000) / 1000];
  })),
}));
