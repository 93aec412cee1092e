import type { ScoredChunk } from '../../contracts/retrieval';
import { stemTerm } from './sparse-terms';
import { contentTokens } from './tokenize';

// A question outside the tenant's documents ("What is our refund policy?" over engineering docs) still
// retrieves its nearest passages, and a model then quotes or paraphrases one that shares a word with it
// ("… a retry policy chosen for its kind of work"). Such a question is recognised by two signs together:
// no passage is similar to it, and the passages miss some of its words. Either alone misleads: keyword
// questions ("PII", "BM25") score low on similarity with every word present, and a paraphrase misses words
// while its passage is similar.

/** Chosen on ../shared/eval/rag with articles left out of the corpus (bench/answer/answer-quality.ts). */
const localMiniLmThreshold = 0.3;

/** The default `offTopicSimilarity` for a store's embedder: the local MiniLM's, else off (0). */
export function defaultOffTopicSimilarity(embedderId: string): number {
  return /minilm/i.test(embedderId) ? localMiniLmThreshold : 0;
}

// Words that say how a question is asked or whose it is, not what it is about: "our" in "What is our refund
// policy?" is in no document, and its absence says nothing. (The stop list already drops what, how, you.)
const askingWords = new Set([
  'my', 'me', 'mine', 'we', 'us', 'our', 'ours', 'he', 'him', 'his', 'she', 'her', 'hers', 'did', 'many', 'much',
  'name', 'named', 'called', 'according', 'type', 'kind',
]);

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
  if (bestSimilarity >= threshold) return undefined;
  const present = new Set(passages.flatMap((passage) => contentTokens(`${passage.title}\n${passage.text}`)
    .map(stemTerm)));
  const asked = contentTokens(question).filter((token) => !askingWords.has(token)).map(stemTerm);
  const missingTerms = [...new Set(asked)].filter((term) => !present.has(term));
  return missingTerms.length ? { bestSimilarity, threshold, missingTerms } : undefined;
}
