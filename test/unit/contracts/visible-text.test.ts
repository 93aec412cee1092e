import { answerRequestSchema } from '../../../contracts/answer';
import { formatZodError } from '../../../contracts/format-error';
import { identifierSchema } from '../../../contracts/ids';
import { documentIdSchema, ingestRequestSchema, inlineDocumentSchema } from '../../../contracts/ingest';
import { hasVisibleText, isWellFormedText } from '../../../contracts/visible-text';

// A question that shows nothing (zero-width, bidi, tag or control characters only) must not be
// answered: it passed the old length check and got an answer with citations.
const questionError = (question: string): string | undefined => {
  const parsed = answerRequestSchema.safeParse({ tenant: 'acme', requestId: 'r1', question });
  return parsed.success ? undefined : formatZodError(parsed.error);
};

describe('visible text in user fields', () => {
  it.each([
    ['zero-width characters', '\u200B\u200C\u200D\u2060\uFEFF'],
    ['bidi controls', '\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069'],
    ['Unicode tag characters', '\u{E0001}\u{E0041}\u{E0042}\u{E007F}'],
    ['variation selectors', '\uFE00\uFE0F\u{E0100}\u{E01EF}'],
    ['C0 and C1 controls with whitespace', '\u0001 \u0007\t\u001B\n\u007F\u0085\u009F\u00A0\u3000'],
    ['a mix of all of them', '\u200B \u202E\u{E0041}\uFE0F\u0007\u2066\u00AD'],
  ])('refuses a question of only %s', (_case, question) => {
    expect(questionError(question)).toBe('question: must contain visible text');
  });

  it('refuses a NUL anywhere in the question, with its own message', () => {
    expect(questionError('What is the refund policy?\u0000')).toBe('question: must not contain NUL characters');
    expect(questionError('\u0000')).toBe('question: must not contain NUL characters');
  });

  it('refuses a question holding a lone surrogate (invalid Unicode)', () => {
    expect(questionError('What is \uD800 the policy?'))
      .toBe('question: must be valid Unicode (it holds a lone surrogate)');
    expect(questionError('\uDC00')).toMatch(/^question: must be valid Unicode/);
  });

  it('keeps the one message for an empty question', () => {
    expect(questionError('   ')).toBe('question: must not be empty');
  });

  it.each([
    ['plain text', 'What is the refund policy?'],
    ['zero-width characters inside words', 'ship\u200Bping\u200D time?'],
    ['an emoji with a variation selector', '❤\uFE0F?'],
    ['CJK text', '退款政策是什么？'],
    ['right-to-left text with marks', '\u200Fما هي سياسة الاسترداد؟'],
    ['astral characters', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀'],
  ])('accepts %s', (_case, question) => {
    expect(questionError(question)).toBeUndefined();
  });

  it('tells visible from invisible text and finds lone surrogates', () => {
    expect(hasVisibleText('\u200B\u2060a')).toBe(true);
    expect(hasVisibleText('\u200B\u2060\u{E0020}')).toBe(false);
    expect(isWellFormedText('😀')).toBe(true);
    expect(isWellFormedText('\uD83D')).toBe(false);
    expect(isWellFormedText('x\uDE00')).toBe(false);
  });

  // Tenant ids were already strict (ASCII letters, digits, "_", ".", ":", "-"); these pin it down.
  it.each([
    ['a zero-width space', '\u200Bacme'], ['a trailing zero-width joiner', 'acme\u200D'],
    ['a space', 'acme corp'], ['a newline', 'acme\n'], ['a single quote', 'acme\''], ['a double quote', 'acme"'],
    ['filter syntax', 'a = \'b\' OR 1=1'], ['a slash', 'acme/other'], ['a wildcard', 'acme*'],
    ['full-width letters', 'ａｃｍｅ'], ['a bidi override', '\u202Eemca'], ['a NUL', 'acme\u0000'],
    ['only a zero-width space', '\u200B'],
  ])('refuses a tenant id with %s', (_case, tenant) => {
    expect(identifierSchema.safeParse(tenant).success).toBe(false);
    const parsed = answerRequestSchema.safeParse({ tenant, requestId: 'r1', question: 'q' });
    expect(formatZodError(parsed.error!)).toMatch(/^tenant: may contain only letters/);
  });

  it('refuses document ids that are invisible, invalid Unicode or hold C1 controls', () => {
    const error = (documentId: string) => {
      const parsed = documentIdSchema.safeParse(documentId);
      return parsed.success ? undefined : formatZodError(parsed.error);
    };
    expect(error('\u200B\u202E')).toBe('must contain visible text');
    expect(error('guide\uD800.md')).toBe('must be valid Unicode (it holds a lone surrogate)');
    expect(error('guide\u0085.md')).toBe('must not contain control characters');
    expect(error('docs/guide.md')).toBeUndefined();
    expect(error('docs/ガイド.md')).toBeUndefined();
  });

  it('names the field for inline document titles and ingest paths', () => {
    const title = inlineDocumentSchema.safeParse({ documentId: 'a.md', text: 'x', title: '\u200B\u200B' });
    expect(formatZodError(title.error!)).toBe('title: must contain visible text');
    const path = ingestRequestSchema.safeParse({ tenant: 'acme', ingestId: 'i1', path: '/docs\u0000/x' });
    expect(formatZodError(path.error!)).toBe('path: must not contain NUL characters');
    expect(inlineDocumentSchema.safeParse({ documentId: 'a.md', text: 'x', title: 'Guide' }).success).toBe(true);
  });
});
