import { createAnthropicProvider } from '../../../../activities/models/anthropic-provider';
import { classifyProviderError } from '../../../../activities/models/classify-error';
import { createOpenAIProvider } from '../../../../activities/models/openai-provider';
import type { ModelProvider, ProviderRequest } from '../../../../activities/models/provider';
import { FakeLlmServer } from '../../../fakes/fake-llm-server';

// The real `openai` and `@anthropic-ai/sdk` clients against the fake server: each adapter,
// streaming and not, and every injected fault classified as the retry contract says.

const request = (stream: boolean): ProviderRequest => ({
  model: 'test-model', stream, maxOutputTokens: 64,
  messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is a circuit breaker?' }],
});

describe.each([
  ['openai', (fake: FakeLlmServer) => createOpenAIProvider({ apiKey: 'sk-test', baseURL: fake.openAIBaseUrl })],
  ['anthropic', (fake: FakeLlmServer) => createAnthropicProvider({ apiKey: 'sk-test', baseURL: fake.anthropicBaseUrl })],
] as const)('%s adapter with the real SDK', (protocol, makeProvider) => {
  let fake: FakeLlmServer;
  let provider: ModelProvider;

  beforeAll(async () => {
    fake = await FakeLlmServer.start({ apiKey: 'sk-test' });
    provider = makeProvider(fake);
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it.each([true, false])('completes a chat request (stream: %s) with text, usage, model and finish reason', async (stream) => {
    const progress: number[] = [];
    const response = await provider.complete(request(stream), { timeoutMs: 5_000, onProgress: (characters) => progress.push(characters) });
    expect(response.text).toBe('Fake answer from test-model: What is a circuit breaker?');
    expect(response.model).toBe('test-model');
    expect(response.finishReason).toBe('stop');
    expect(response.usage.outputTokens).toBe(9);
    expect(response.usage.inputTokens).toBeGreaterThan(10);
    expect(response.latencyMs).toBeGreaterThan(0);
    expect(fake.requests).toEqual([expect.objectContaining({ protocol, stream })]);
    // Streaming reports progress per chunk, which is where the activity heartbeats.
    if (stream) expect(progress.length).toBeGreaterThan(3);
    else expect(progress).toEqual([]);
  });

  const classify = async (stream: boolean, timeoutMs = 5_000) => {
    const error = await provider.complete(request(stream), { timeoutMs }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeDefined();
    return classifyProviderError(error);
  };

  it('classifies 429 as retryable RateLimited with the retry-after delay', async () => {
    fake.failNext({ kind: 'rate-limit', retryAfterSeconds: 7 });
    expect(await classify(true)).toMatchObject({ type: 'RateLimited', retryable: true, retryAfterMs: 7_000, status: 429 });
  });

  it('prefers retry-after-ms when the provider sends it', async () => {
    fake.failNext({ kind: 'rate-limit', retryAfterSeconds: 7, retryAfterMs: 250 });
    expect(await classify(false)).toMatchObject({ type: 'RateLimited', retryAfterMs: 250 });
  });

  it('classifies 500 and 503 as retryable ProviderUnavailable', async () => {
    fake.failNext({ kind: 'server-error' }).failNext({ kind: 'server-error', status: 503 });
    expect(await classify(true)).toMatchObject({ type: 'ProviderUnavailable', retryable: true, status: 500 });
    expect(await classify(false)).toMatchObject({ type: 'ProviderUnavailable', retryable: true, status: 503 });
  });

  it('classifies a wrong key (401) as non-retryable AuthFailure', async () => {
    const wrongKey = protocol === 'openai'
      ? createOpenAIProvider({ apiKey: 'sk-wrong', baseURL: fake.openAIBaseUrl })
      : createAnthropicProvider({ apiKey: 'sk-wrong', baseURL: fake.anthropicBaseUrl });
    const error = await wrongKey.complete(request(true)).catch((thrown: unknown) => thrown);
    expect(classifyProviderError(error)).toMatchObject({ type: 'AuthFailure', retryable: false, status: 401 });
  });

  it('classifies a context-length error as its own non-retryable type', async () => {
    fake.failNext({ kind: 'context-length' });
    expect(await classify(true)).toMatchObject({ type: 'ContextWindowExceeded', retryable: false, status: 400 });
  });

  it.each([true, false])('classifies a malformed body as retryable MalformedResponse (stream: %s)', async (stream) => {
    fake.failNext({ kind: 'malformed-json' });
    expect(await classify(stream)).toMatchObject({ type: 'MalformedResponse', retryable: true });
  });

  it("keeps the SDK's own logging off, so a malformed stream's raw text never reaches the console", async () => {
    const written: unknown[][] = [];
    const spies = (['error', 'warn', 'info', 'log', 'debug'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void written.push(args)));
    try {
      fake.failNext({ kind: 'malformed-json' });
      expect(await classify(true)).toMatchObject({ type: 'MalformedResponse' });
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(written).toEqual([]);
  });

  it('classifies a hang past the request timeout as retryable ProviderTimeout', async () => {
    fake.failNext({ kind: 'hang' });
    expect(await classify(false, 300)).toMatchObject({ type: 'ProviderTimeout', retryable: true });
  });

  it('aborts a stream that stalls after its first chunk as ProviderTimeout', async () => {
    fake.failNext({ kind: 'stall-stream' });
    expect(await classify(true, 300)).toMatchObject({ type: 'ProviderTimeout', retryable: true });
  });

  it('classifies a connection reset as retryable ProviderUnavailable', async () => {
    fake.failNext({ kind: 'reset' });
    expect(await classify(true)).toMatchObject({ type: 'ProviderUnavailable', retryable: true });
  });
});
