import { classifyProviderError, retryAfterMs, toApplicationFailure } from '../../../../activities/models/classify-error';
import { costMicroUsd } from '../../../../activities/models/cost';
import { countTextTokens, countTokens } from '../../../../activities/models/token-counter';

describe('token counting', () => {
  // The ranks ship inside js-tiktoken: counting must never reach for the network.
  const realFetch = globalThis.fetch;
  const fetchSpy = jest.fn(() => Promise.reject(new Error('network disabled in this test')));
  beforeAll(() => (globalThis.fetch = fetchSpy as unknown as typeof fetch));
  afterAll(() => (globalThis.fetch = realFetch));
  afterEach(() => expect(fetchSpy).not.toHaveBeenCalled());

  it('counts BPE tokens with the bundled ranks, not words', () => {
    // "tokenization" is one word but several BPE tokens; the counts are the published tiktoken ones.
    expect(countTextTokens('hello world', 'cl100k_base')).toBe(2);
    expect(countTextTokens('antidisestablishmentarianism', 'cl100k_base')).toBe(6);
    expect(countTextTokens('antidisestablishmentarianism', 'o200k_base')).toBeGreaterThan(1);
  });

  it('adds the chat framing per message', () => {
    const messages = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'hello world' }];
    const content = countTextTokens('Be brief.', 'cl100k_base') + countTextTokens('hello world', 'cl100k_base');
    const roles = countTextTokens('system', 'cl100k_base') + countTextTokens('user', 'cl100k_base');
    expect(countTokens(messages, 'cl100k_base')).toBe(content + roles + 2 * 3 + 3);
  });

  it('counts a literal special token in a message as text instead of failing the call', () => {
    // A document about tokenizers, or a prompt-injection attempt, may hold "<|endoftext|>"; js-tiktoken's own
    // encode throws on it, which would fail every model call and context pack that carries such a text.
    const messages = [{ role: 'user' as const, content: 'What does <|endoftext|> mean?' }];
    const without = [{ role: 'user' as const, content: 'What does mean?' }];
    expect(countTokens(messages, 'cl100k_base')).toBeGreaterThan(countTokens(without, 'cl100k_base'));
    expect(countTextTokens('<|endoftext|>', 'o200k_base')).toBeGreaterThan(1);
  });
});

describe('costMicroUsd', () => {
  it('prices usage per million tokens in whole micro-dollars, rounding up', () => {
    expect(costMicroUsd({ inputPricePerMillionUsd: 3, outputPricePerMillionUsd: 15 }, { inputTokens: 1_000, outputTokens: 200 })).toBe(6_000);
    expect(costMicroUsd({ inputPricePerMillionUsd: 0.15, outputPricePerMillionUsd: 0.6 }, { inputTokens: 3, outputTokens: 0 })).toBe(1);
    expect(costMicroUsd({ inputPricePerMillionUsd: 0.1, outputPricePerMillionUsd: 0 }, { inputTokens: 3, outputTokens: 0 })).toBe(1);
    expect(costMicroUsd({ inputPricePerMillionUsd: 0, outputPricePerMillionUsd: 0 }, { inputTokens: 500, outputTokens: 500 })).toBe(0);
  });
});

describe('error classification details', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it('reads retry-after as seconds, as an HTTP date, and retry-after-ms first', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }))).toBe(3_000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(10_000);
    expect(retryAfterMs(headers({ 'retry-after': '3', 'retry-after-ms': '120' }))).toBe(120);
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });

  it('turns a 429 into a retryable failure whose next retry delay is the retry-after', () => {
    const failure = toApplicationFailure({ type: 'RateLimited', retryable: true, retryAfterMs: 1_500, status: 429, message: 'HTTP 429' }, { provider: 'openai', modelId: 'gpt', attempt: 2 });
    expect(failure).toMatchObject({ type: 'RateLimited', nonRetryable: false, nextRetryDelay: 1_500, details: [{ provider: 'openai', modelId: 'gpt', attempt: 2, status: 429 }] });
  });

  it('cuts key-shaped strings out of failure messages, which land in history and logs', () => {
    const error = Object.assign(new Error('Incorrect API key provided: sk-proj-abc***************wxyz. You can find your key at …'), { status: 401, headers: new Headers() });
    const classified = classifyProviderError(error);
    expect(classified.type).toBe('AuthFailure');
    expect(classified.message).toBe('HTTP 401: Incorrect API key provided: [redacted]. You can find your key at …');
  });

  it('marks auth, invalid request and context overflow non-retryable', () => {
    const httpError = (status: number, message: string) => Object.assign(new Error(message), { status, headers: new Headers() });
    expect(classifyProviderError(httpError(403, 'forbidden'))).toMatchObject({ type: 'AuthFailure', retryable: false });
    expect(classifyProviderError(httpError(400, 'unknown parameter foo'))).toMatchObject({ type: 'InvalidModelRequest', retryable: false });
    expect(classifyProviderError(httpError(400, 'prompt is too long: 210000 tokens > 200000 maximum'))).toMatchObject({ type: 'ContextWindowExceeded', retryable: false });
    expect(classifyProviderError(httpError(413, 'payload too large'))).toMatchObject({ type: 'ContextWindowExceeded' });
    expect(classifyProviderError(httpError(502, 'bad gateway'))).toMatchObject({ type: 'ProviderUnavailable', retryable: true });
  });
});
