import { redactPassages, totalCounts } from '../../../../activities/retrieval/redact-passages';
import type { ScoredChunk } from '../../../../contracts/retrieval';

const chunk = (id: string, title: string, text: string): ScoredChunk => ({
  id, tenant: 't', documentId: id, chunkIndex: 0, title, source: `${id}.md`, text, score: 1,
});
const redaction = { types: ['EMAIL', 'US_SSN', 'CREDIT_CARD'] as const, defaultRegion: 'US' };

describe('redactPassages', () => {
  it('redacts text and title irreversibly and counts per passage', () => {
    const { passages, countsById } = redactPassages([
      chunk('a', 'Mail ops@example.com', 'SSN 219-09-9999 and card 4111 1111 1111 1111.'),
      chunk('b', 'Plain', 'Nothing\u200B to see here.'),
    ], { ...redaction, types: [...redaction.types] });
    expect(passages[0]).toMatchObject({
      title: 'Mail [REDACTED EMAIL]', text: 'SSN [REDACTED US_SSN] and card [REDACTED CREDIT_CARD].',
    });
    // A passage without PII is left exactly as stored (not normalised).
    expect(passages[1]?.text).toBe('Nothing\u200B to see here.');
    expect(countsById.get('a')).toEqual({ EMAIL: 1, US_SSN: 1, CREDIT_CARD: 1 });
    expect(countsById.has('b')).toBe(false);
  });

  it('finds values split by zero-width characters', () => {
    const { passages } = redactPassages([chunk('a', 'T', 'SSN 219-09-\u200B9999.')], { ...redaction, types: ['US_SSN'] });
    expect(passages[0]?.text).toBe('SSN [REDACTED US_SSN].');
  });

  it('adds up the counts of the passages kept only', () => {
    const counts = new Map([['a', { EMAIL: 2 }], ['b', { EMAIL: 1, US_SSN: 1 }], ['c', { PHONE: 1 }]] as const);
    expect(totalCounts(['a', 'b'], counts)).toEqual({ EMAIL: 3, US_SSN: 1 });
    expect(totalCounts(['z'], counts)).toBeUndefined();
  });
});
