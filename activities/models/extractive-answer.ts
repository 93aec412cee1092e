import type { Citation, ScoredChunk } from '../../contracts/retrieval';
import { pronouns, questionFiller } from '../retrieval/question-words';
import { stemTerm } from '../retrieval/sparse-terms';
import { rowCellValues } from '../retrieval/table-rows';
import { contentTokens } from '../retrieval/tokenize';
import { answerKindOf, hasAnswerCue, questionWordsOf } from './answer-cues';
import { splitSentences } from '../split-sentences';
import { verbLemma } from './verb-lemmas';

export interface ExtractiveAnswer {
  text: string;
  citations: Citation[];
}

export interface ExtractiveOptions {
  /** Most sentences quoted in the answer. @default 3 */
  maxSentences?: number;
  /** A sentence is quoted only if it scores at least this fraction of the best one. @default 0.5 */
  minRelativeScore?: number;
}

interface Candidate {
  sentence: string;
  passage: ScoredChunk;
  passageRank: number;
  terms: string[];
  score: number;
  /** For a table row, whether a question term is among its cells' values (not only its column names). */
  rowValueMatch?: boolean;
  /** For the answer to a question in the text (an FAQ), that question's terms. */
  askedTerms?: string[];
}


// What each signal adds to a sentence's matched term weight, in shares of the question's mean term
// weight; chosen on the tuning questions of ../shared/eval/rag (bench/answer/answer-quality.ts): a
// plateau from 1.2 to 2.2 and from 0.8 to 1.5. A bonus for matched terms standing close together
// was tried and left out: it cost 3-5 points there, favouring sentences that restate the question.
const answerCueBonus = 1.2;
const passageRankBonus = 1;

// Irregular past forms first: the stemmer maps "running" to "run" but not "ran" (tuning questions 0.927 → 0.931).
const termOf = (token: string): string => stemTerm(verbLemma(token));
const termsOf = (text: string): string[] => contentTokens(text).map(termOf);

const isQuestion = (sentence: string): boolean => /\?["'”’)\]]*$/.test(sentence);

/**
 * The sentences of one passage as [quoted sentence, text it is scored on, question it answers]. A question in
 * the text (an FAQ's "Can I change my email address?") is never the answer: the sentence after it is quoted,
 * scored on both, so "Yes, in Settings > Account." answers a question it shares no word with. A question with no
 * answer after it is left out. A short sentence counts only as such an answer; alone it is a heading or a fragment.
 */
function sentencePairs(text: string): [quoted: string, scoredOn: string, asked?: string][] {
  const sentences = splitSentences(text);
  const pairs: [string, string, string?][] = [];
  for (let index = 0; index < sentences.length; index++) {
    const sentence = sentences[index]!;
    if (!isQuestion(sentence)) {
      if (sentence.length >= 20) pairs.push([sentence, sentence]);
      continue;
    }
    const answer = sentences[index + 1];
    if (answer === undefined || isQuestion(answer)) continue;
    pairs.push([answer, `${sentence} ${answer}`, sentence]);
    index++;
  }
  return pairs;
}

const letters = (sentence: string): string => sentence.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Every sentence of the passages once, in retrieval order. Overlapping chunks repeat sentences, and a chunk
 * that starts inside one repeats its end ("A glob element, which …" and "• A glob element, which …"): a
 * sentence whose words another one holds is left out.
 */
function candidatesOf(passages: readonly ScoredChunk[]): Candidate[] {
  const all = passages.flatMap((passage, passageRank) => sentencePairs(passage.text)
    .map((pair) => ({ pair, passage, passageRank, key: letters(pair[0]) })));
  const seen = new Set<string>();
  const kept = all.filter(({ key }) => !seen.has(key) && seen.add(key))
    .filter(({ key }, _, unique) => !unique.some((other) => other.key !== key && other.key.includes(key)));
  return kept.map(({ pair: [sentence, scoredOn, asked], passage, passageRank }) => ({
    sentence, passage, passageRank, terms: termsOf(scoredOn), score: 0,
    ...(asked !== undefined ? { askedTerms: termsOf(asked) } : {}),
  }));
}

/**
 * Scores each sentence: the inverse-frequency weights (over the passages' sentences) of the
 * question terms it holds, plus bonuses, each a share of the question's mean term weight: for
 * holding the kind of thing asked for (a year for "when", a number for "how many", a name for
 * "who") and for its passage ranking high, which the retriever knows more about than one sentence.
 */
function score(question: string, candidates: Candidate[]): void {
  const questionTerms = new Set(contentTokens(question).filter((token) => !questionFiller.has(token)).map(termOf));
  const documentFrequency = new Map<string, number>();
  for (const candidate of candidates) {
    for (const term of new Set(candidate.terms)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const weightOf = (term: string): number => Math.log(1 + candidates.length / (documentFrequency.get(term) ?? 1));
  const questionWeights = [...questionTerms].map(weightOf);
  const unit = questionWeights.reduce((sum, weight) => sum + weight, 0) / Math.max(1, questionWeights.length);
  const kind = answerKindOf(question);
  const questionWords = questionWordsOf(question);
  for (const candidate of candidates) {
    const matched = [...new Set(candidate.terms)].filter((term) => questionTerms.has(term));
    if (matched.every((term) => pronouns.has(term))) continue;
    // An FAQ's answer answers its own question: when that shares nothing with the one asked, the answer is to
    // something else ("Yes, in Settings > Account." is no answer to "How do I delete my account?").
    const asked = candidate.askedTerms;
    if (asked && !asked.some((term) => questionTerms.has(term) && !pronouns.has(term))) continue;
    const bonus = (hasAnswerCue(kind, candidate.sentence, questionWords) ? answerCueBonus : 0)
      + passageRankBonus / (1 + candidate.passageRank);
    candidate.score = matched.reduce((sum, term) => sum + weightOf(term), 0) + unit * bonus;
    const values = rowCellValues(candidate.sentence);
    if (values !== undefined) candidate.rowValueMatch = termsOf(values).some((term) => questionTerms.has(term));
  }
}

/**
 * The best sentences, at most `maxSentences`. Rows of one table all hold its column names, so "What is the
 * storage on Pro?" matches every row on "storage": once a row matching the question by a value ("Pro") is
 * chosen, rows of that table matching by column names alone are left out.
 */
function choose(ranked: readonly Candidate[], maxSentences: number): Candidate[] {
  const chosen: Candidate[] = [];
  for (const candidate of ranked) {
    if (chosen.length === maxSentences) break;
    const labelOnly = candidate.rowValueMatch === false && chosen.some((other) => other.rowValueMatch
      && other.passage.documentId === candidate.passage.documentId);
    if (!labelOnly) chosen.push(candidate);
  }
  return chosen;
}

/**
 * The offline model: answers by quoting the retrieved sentences that best answer the question
 * (see `score`), each with a citation marker. It invents nothing, which is why it is also the last
 * fallback when every provider is down.
 */
export function composeExtractiveAnswer(
  question: string, passages: readonly ScoredChunk[], options: ExtractiveOptions = {},
): ExtractiveAnswer {
  const candidates = candidatesOf(passages);
  score(question, candidates);
  const ranked = candidates.filter((candidate) => candidate.score > 0).sort((a, b) => b.score - a.score);
  // Sentences far weaker than the best one are off-topic matches on a common word; leave them out.
  const floor = (ranked[0]?.score ?? 0) * (options.minRelativeScore ?? 0.5);
  const chosen = choose(ranked.filter((candidate) => candidate.score >= floor), options.maxSentences ?? 3);
  if (chosen.length === 0) return { text: '', citations: [] };

  const citations: Citation[] = [];
  const markerOf = new Map<string, number>();
  const parts = chosen.map((candidate) => {
    let marker = markerOf.get(candidate.passage.id);
    if (marker === undefined) {
      marker = citations.length + 1;
      markerOf.set(candidate.passage.id, marker);
      const { documentId, chunkIndex, title, source, score: passageScore } = candidate.passage;
      citations.push({ marker, documentId, chunkIndex, title, source, score: passageScore, quote: candidate.sentence });
    }
    return `${candidate.sentence} [${marker}]`;
  });
  return { text: parts.join(' '), citations };
}
