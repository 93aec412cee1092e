import type { Citation, ScoredChunk } from '../../contracts/retrieval';
import { composeExtractiveAnswer } from './extractive-answer';

export interface GeneratedAnswer {
  text: string;
  citations: Citation[];
  model: string;
}

/** Model activities. Today the offline extractive model; provider adapters join in the model layer. */
export function createModelActivities() {
  return {
    /** Answers a question from retrieved passages, citing them. */
    async generateAnswer(input: { question: string; passages: ScoredChunk[] }): Promise<GeneratedAnswer> {
      const answer = composeExtractiveAnswer(input.question, input.passages);
      return { ...answer, model: 'extractive' };
    },
  };
}
