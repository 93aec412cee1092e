import type { ScoredChunk } from '../../contracts/retrieval';
import { pronouns, questionFiller } from './question-words';
import { stemTerm } from './sparse-terms';
import { contentTokens } from './tokenize';

// A question outside the tenant's documents ("What is our refund policy?" over engineering docs) still
// retrieves its nearest passages, and a model then quotes or paraphrases one that shares a word with it
// ("… a retry policy chosen for its kind of work"). Such a question is recognised by two signs together:
// no passage is similar to it, and the passages miss some of its words. Either alone misleads: keyword
// questions ("PII", "BM25") score low on similarity with every word present, and a paraphrase misses words
// while its passage is similar. Just above the threshold, a question is outside when half its words are
// missing ("refund" of "What is our refund policy?" over engineering docs, at 0.34).

/** Chosen on ../shared/eval/rag with articles left out of the corpus (bench/answer/answer-quality.ts). */
const localMiniLmThreshold = 0.3;
/** How far above the threshold a question with half its words missing still counts as outside; same bench. */
const nearThresholdMargin = 0.1;
const missingShareNearThreshold = 0.5;

/** The default `offTopicSimilarity` for a store's embedder: the local MiniLM's, else off (0). */
export function defaultOffTopicSimilarity(embedderId: string): number {
  return /minilm/i.test(embedderId) ? localMiniLmThreshold : 0;
}

export interface OffTopicEvidence {
  bestSimilarity: number;
  threshold: number;
  /** The question's terms in none of the passages, stemmed as the lexical index holds them. */
  missingTerms: string[];
}

/**
 * Why the question is outside the documents the passages come from, or undefined when it may be answered
 * from them: always undefined when `threshold` is 0, and on lexical search (no similarities to judge by).
 */
export function offTopicEvidence(
  question: string, passages: readonly ScoredChunk[], threshold: number,
): OffTopicEvidence | undefined {
  const similarities = passages.flatMap((passage) => passage.similarity ?? []);
  if (threshold <= 0 || similarities.length === 0) return undefined;
  const bestSimilarity = Math.max(...similarities);
  if (bestSimilarity >= threshold + nearThresholdMargin) return undefined;
  const present = new Set(passages.flatMap((passage) => contentTokens(`${passage.title}\n${passage.text}`)
    .map(stemTerm)));
  // Words that only say how the question is asked or whose it is are in no document, and say nothing missing.
  const asked = contentTokens(question).filter((token) => !questionFiller.has(token) && !pronouns.has(token))
    .map(stemTerm);
  const terms = [...new Set(asked)];
  const missingTerms = terms.filter((term) => !present.has(term));
  const enoughMissing = bestSimilarity < threshold ? missingTerms.length > 0
    : missingTerms.length >= missingShareNearThreshold * terms.length;
  return missingTerms.length && enoughMissing ? { bestSimilarity, threshold, missingTerms } : undefined;
}
