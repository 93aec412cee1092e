import type { Citation, ScoredChunk } from '../../contracts/retrieval';
import { contentTokens } from '../retrieval/tokenize';

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
  score: number;
}

const stemOf = (token: string): string => (token.length > 4 ? token.replace(/(ing|ed|es|s)$/u, '') : token);

function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length >= 20);
}

/**
 * The offline model: answers by quoting the retrieved sentences that share the most
 * (inverse-frequency weighted) terms with the question, each with a citation marker.
 * It invents nothing, which is why it is also the last fallback when every provider is down.
 */
export function composeExtractiveAnswer(question: string, passages: readonly ScoredChunk[], options: ExtractiveOptions = {}): ExtractiveAnswer {
  const questionTerms = new Set(contentTokens(question).map(stemOf));
  const candidates: Candidate[] = passages.flatMap((passage, passageRank) =>
    sentencesOf(passage.text).map((sentence) => ({ sentence, passage, passageRank, score: 0 })),
  );
  const documentFrequency = new Map<string, number>();
  const termsOf = candidates.map((candidate) => new Set(contentTokens(candidate.sentence).map(stemOf)));
  for (const terms of termsOf) for (const term of terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  candidates.forEach((candidate, index) => {
    let score = 0;
    for (const term of termsOf[index]!) {
      if (questionTerms.has(term)) score += Math.log(1 + candidates.length / documentFrequency.get(term)!);
    }
    // A small preference for passages the retriever ranked higher breaks ties.
    candidate.score = score > 0 ? score + 0.1 / (1 + candidate.passageRank) : 0;
  });
  const ranked = candidates.filter((candidate) => candidate.score > 0).sort((a, b) => b.score - a.score);
  // Sentences far weaker than the best one are off-topic matches on a common word; leave them out.
  const floor = (ranked[0]?.score ?? 0) * (options.minRelativeScore ?? 0.5);
  const chosen = ranked.filter((candidate) => candidate.score >= floor).slice(0, options.maxSentences ?? 3);
  if (chosen.length === 0) return { text: '', citations: [] };

  const citations: Citation[] = [];
  const markerOf = new Map<string, number>();
  const parts = chosen.map((candidate) => {
    let marker = markerOf.get(candidate.passage.id);
    if (marker === undefined) {
      marker = citations.length + 1;
      markerOf.set(candidate.passage.id, marker);
      citations.push({
        marker, documentId: candidate.passage.documentId, chunkIndex: candidate.passage.chunkIndex, title: candidate.passage.title,
        source: candidate.passage.source, score: candidate.passage.score, quote: candidate.sentence,
      });
    }
    return `${candidate.sentence} [${marker}]`;
  });
  return { text: parts.join(' '), citations };
}
