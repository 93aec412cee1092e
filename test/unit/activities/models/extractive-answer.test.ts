import { composeExtractiveAnswer } from '../../../../activities/models/extractive-answer';
import type { ScoredChunk } from '../../../../contracts/retrieval';

const passage = (id: string, text: string, score = 0.5): ScoredChunk => ({
  id, tenant: 't', documentId: `${id}.md`, chunkIndex: 0, title: id, source: `${id}.md`, text, score,
});

describe('composeExtractiveAnswer', () => {
  const passages = [
    passage('retries', 'Activities are retried with exponential backoff. Rate limits honour the retry-after header sent by the provider.'),
    passage('review', 'A reviewer approves drafts with a signal. The deadline for a review is configurable per tenant.'),
  ];

  it('quotes the sentences that answer the question and cites their passages', () => {
    const answer = composeExtractiveAnswer('How are rate limits handled with retry-after?', passages);
    expect(answer.text).toBe('Rate limits honour the retry-after header sent by the provider. [1]');
    expect(answer.citations).toEqual([expect.objectContaining({
      marker: 1, documentId: 'retries.md', quote: 'Rate limits honour the retry-after header sent by the provider.',
    })]);
  });

  it('numbers citations by first use and reuses a marker for the same passage', () => {
    const answer = composeExtractiveAnswer('review deadline reviewer signal drafts tenant', passages, { minRelativeScore: 0 });
    expect(answer.citations.map((citation) => citation.marker)).toEqual([1]);
    expect(answer.text.match(/\[1\]/g)?.length).toBe(2);
  });

  it('answers from an FAQ with the sentence after the matching question, never the question itself', () => {
    const faq = [passage('faq', 'Can I change my email address? Yes, in Settings > Account. Where are invoices? Billing.')];
    const answer = composeExtractiveAnswer('Can I change my email address?', faq);
    expect(answer.text).toBe('Yes, in Settings > Account. [1]');
    expect(composeExtractiveAnswer('Is there a trial?', [passage('open', 'Is there a trial?')]).text).toBe('');
    // Sharing only a pronoun with the question is no answer to it.
    expect(composeExtractiveAnswer('How do I reset my password?', faq).text).toBe('');
    // Nor is an answer whose own question shares nothing with it, whatever words the answer holds.
    expect(composeExtractiveAnswer('How do I delete my account?', faq).text).toBe('');
  });

  it("quotes the table row a question names by a value, not every row sharing the table's column names", () => {
    const plans = passage('plans', [
      'Plan: Free; Price per user per month: 0 USD; Storage: 5 GB; Support: Community forum.',
      'Plan: Pro; Price per user per month: 12 USD; Storage: 100 GB; Support: Email within 48 hours.',
      'Plan: Business; Price per user per month: 25 USD; Storage: 1 TB; Support: Email and chat within 8 hours.',
    ].join('\n'));
    expect(composeExtractiveAnswer("What's the storage limit on Pro?", [plans]).text)
      .toBe('Plan: Pro; Price per user per month: 12 USD; Storage: 100 GB; Support: Email within 48 hours. [1]');
    // Asked about the column itself, every row answers.
    expect(composeExtractiveAnswer('What storage do the plans have?', [plans]).text.match(/\[1\]/g)).toHaveLength(3);
  });

  it('quotes a sentence once when overlapping chunks repeat it, whole or from its middle', () => {
    const first = passage('a', '• A glob-deleteall element means patterns from earlier directories are discarded.');
    const overlap = passage('b', 'A glob-deleteall element means patterns from earlier directories are discarded. '
      + 'Magic rules come next.');
    const fragment = passage('c', 'patterns from earlier directories are discarded. The globs2 file lists patterns.');
    const answer = composeExtractiveAnswer('What does a glob-deleteall element mean?', [first, overlap, fragment]);
    expect(answer.text).toBe('• A glob-deleteall element means patterns from earlier directories are discarded. [1]');
  });

  it('returns nothing when no sentence shares a term with the question', () => {
    expect(composeExtractiveAnswer('photosynthesis chlorophyll', passages)).toEqual({ text: '', citations: [] });
  });
});
