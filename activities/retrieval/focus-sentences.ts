import { splitSentences } from '../split-sentences';
import { stemTerm } from './sparse-terms';
import { contentTokens } from './tokenize';

/**
 * What stands where sentences were left out. Three full stops rather than U+2026: this repo's splitter
 * (and most others) reads "..." as sentence-final punctuation, so each kept sentence stays a sentence of
 * its own for a model, an extractive reader or the groundedness gate, instead of merging with the next.
 */
export const elisionMark = '...';

/** A passage's text cut to its question sentences, and how many sentences were left out. */
export interface FocusedText {
  text: string;
  elided: number;
}

/** Cuts one passage's text to its question sentences (see `focusOnQuestion`). */
export type SentenceFocus = (text: string) => FocusedText;

interface Sentence {
  text: string;
  terms: ReadonlySet<string>;
}

const termsOf = (text: string): Set<string> => new Set(contentTokens(text).map(stemTerm));

/**
 * Weights of the question's terms: the inverse share of the retrieved passages' sentences holding each one,
 * so a rare word of the question (a name, a date) counts for more than one most sentences share.
 */
function questionWeights(question: string, sentences: readonly Sentence[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const term of termsOf(question)) {
    const holding = sentences.filter((sentence) => sentence.terms.has(term)).length;
    if (holding > 0) weights.set(term, Math.log(1 + sentences.length / holding));
  }
  return weights;
}

/** The kept sentences in passage order, with the elision mark at each gap (and at a cut start or end). */
function joinKept(sentences: readonly Sentence[], kept: readonly number[]): string {
  const parts: string[] = [];
  let next = 0;
  for (const index of kept) {
    if (index > next) parts.push(elisionMark);
    parts.push(sentences[index]!.text);
    next = index + 1;
  }
  if (next < sentences.length) parts.push(elisionMark);
  return parts.join(' ');
}

/**
 * Question-focused trimming within passages (a route's `context.focusSentences`): scores each sentence by the
 * question's content words it shares (Porter2 stems, stop words dropped), each weighted by how rare it is
 * among the sentences of `passages` (the retrieved set), and keeps a passage's best `keep` sentences in their
 * order; ties go to the earlier sentence, so a passage that shares nothing keeps its lead. A passage of at
 * most `keep` sentences is returned as it was, whitespace and all.
 */
export function focusOnQuestion(question: string, passages: readonly string[], keep: number): SentenceFocus {
  const split = new Map<string, Sentence[]>();
  const sentencesOf = (text: string): Sentence[] => {
    let sentences = split.get(text);
    if (!sentences) {
      sentences = splitSentences(text).map((sentence) => ({ text: sentence, terms: termsOf(sentence) }));
      split.set(text, sentences);
    }
    return sentences;
  };
  const weights = questionWeights(question, passages.flatMap(sentencesOf));
  const scoreOf = (sentence: Sentence): number =>
    [...weights].reduce((sum, [term, weight]) => sum + (sentence.terms.has(term) ? weight : 0), 0);
  return (text) => {
    const sentences = sentencesOf(text);
    if (sentences.length <= keep) return { text, elided: 0 };
    const kept = sentences.map((sentence, index) => ({ index, score: scoreOf(sentence) }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, keep)
      .map((entry) => entry.index)
      .sort((a, b) => a - b);
    return { text: joinKept(sentences, kept), elided: sentences.length - keep };
  };
}
