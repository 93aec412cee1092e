import { defaultOffTopicSimilarity, offTopicEvidence } from '../../../../activities/retrieval/off-topic';
import type { ScoredChunk } from '../../../../contracts/retrieval';

// A question is outside the documents only when no passage is similar to it AND some of its words are in
// none of them: each sign alone would refuse questions the documents answer.

const passage = (text: string, similarity?: number, title = 'Durable execution'): ScoredChunk => ({
  id: text.slice(0, 8), tenant: 't', documentId: 'durability.md', chunkIndex: 0, title, source: 'durability.md', text,
  score: 1, ...(similarity !== undefined ? { similarity } : {}),
});
const retries = 'Each activity has an explicit timeout and a retry policy chosen for its kind of work.';

describe('offTopicEvidence', () => {
  it('finds a question outside the documents: no similar passage, and a word in none of them', () => {
    expect(offTopicEvidence('What is our refund policy?', [passage(retries, 0.21), passage('Heartbeats.', 0.12)], 0.3))
      .toEqual({ bestSimilarity: 0.21, threshold: 0.3, missingTerms: ['refund'] });
  });

  it('answers a keyword question whose words are all there, however low its similarity', () => {
    expect(offTopicEvidence('retry policies', [passage(retries, 0.15)], 0.3)).toBeUndefined();
    // The title counts, as it does in the lexical index.
    expect(offTopicEvidence('durable', [passage(retries, 0.1)], 0.3)).toBeUndefined();
  });

  it('answers a paraphrase with missing words when a passage is similar enough', () => {
    expect(offTopicEvidence('What is our refund policy?', [passage(retries, 0.4)], 0.3)).toBeUndefined();
    // Just above the threshold, only with fewer than half of its words missing.
    expect(offTopicEvidence('How is a retry policy refunded?', [passage(retries, 0.34)], 0.3)).toBeUndefined();
    expect(offTopicEvidence('What is our refund policy?', [passage(retries, 0.34)], 0.3))
      .toEqual({ bestSimilarity: 0.34, threshold: 0.3, missingTerms: ['refund'] });
  });

  it('judges nothing when the check is off or the search had no vectors (lexical)', () => {
    expect(offTopicEvidence('What is our refund policy?', [passage(retries, 0.01)], 0)).toBeUndefined();
    expect(offTopicEvidence('What is our refund policy?', [passage(retries)], 0.3)).toBeUndefined();
    expect(offTopicEvidence('What is our refund policy?', [], 0.3)).toBeUndefined();
  });

  it('does not count words that only say how a question is asked', () => {
    // "our", "many", "called" are in no document, and their absence says nothing.
    expect(offTopicEvidence('How many retries did our activity get, and what is it called?',
      [passage(retries, 0.2)], 0.3)).toEqual({ bestSimilarity: 0.2, threshold: 0.3, missingTerms: ['get'] });
  });
});

describe('defaultOffTopicSimilarity', () => {
  it('is on for the local MiniLM only: other embedders measure similarity on other scales', () => {
    expect(defaultOffTopicSimilarity('all-minilm-l6-v2-int8')).toBe(0.3);
    expect(defaultOffTopicSimilarity('hashing-256')).toBe(0);
    expect(defaultOffTopicSimilarity('openai:text-embedding-3-small')).toBe(0);
  });
});
