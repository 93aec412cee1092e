import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines } from './metrics';

// Benign text from the other development sets: Wikipedia paragraphs (eval/rag/corpus.jsonl),
// Quora questions (eval/paraphrase/dev.jsonl) and SQuAD questions (eval/rag/questions.jsonl). The injection set's benign rows are almost all
// short questions, so a classifier trained on it alone learns "long declarative text is an
// injection" and flags nearly every retrieved document. Even rows train; odd rows are held out
// to measure the false-positive rate.

const evalDir = join(__dirname, '..', '..', '..', 'shared', 'eval');
const quoraLimit = 2_000;

export interface BenignText {
  wikipediaParagraphs: string[];
  quoraQuestions: string[];
  squadQuestions: string[];
}

/** Benign texts of one half (`train`: even rows, `heldOut`: odd rows); empty where the files are missing. */
export function benignText(half: 'train' | 'heldOut'): BenignText {
  const keep = (_: unknown, index: number) => index % 2 === (half === 'train' ? 0 : 1);
  const corpus = join(evalDir, 'rag', 'corpus.jsonl');
  const paraphrase = join(evalDir, 'paraphrase', 'dev.jsonl');
  const questions = join(evalDir, 'rag', 'questions.jsonl');
  return {
    wikipediaParagraphs: existsSync(corpus) ? readJsonLines(corpus).map((row) => (row as { text: string }).text).filter(keep) : [],
    quoraQuestions: existsSync(paraphrase) ? readJsonLines(paraphrase).slice(0, quoraLimit).map((row) => (row as { a: string }).a).filter(keep) : [],
    squadQuestions: existsSync(questions) ? readJsonLines(questions).map((row) => (row as { question: string }).question).filter(keep) : [],
  };
}
