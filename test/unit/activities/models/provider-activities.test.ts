import { MockActivityEnvironment } from '@temporalio/testing';
import { CircuitBreakerRegistry } from '../../../../activities/models/circuit-breaker';
import { MemoryCostRecorder } from '../../../../activities/models/cost-recorder';
import { createExtractiveProvider } from '../../../../activities/models/extractive-provider';
import { parseModelCatalog } from '../../../../activities/models/load-catalog';
import { createProviderActivities } from '../../../../activities/models/provider-activities';
import type { ModelCallInputRaw, ModelCallResult } from '../../../../contracts/models';
import { FakeLlmServer } from '../../../fakes/fake-llm-server';

describe('callModel activity', () => {
  let fake: FakeLlmServer;
  const breakers = new CircuitBreakerRegistry();
  const costs = new MemoryCostRecorder();
  let activities: ReturnType<typeof createProviderActivities>;

  beforeAll(async () => {
    fake = await FakeLlmServer.start({ apiKey: 'sk-from-env' });
    const catalog = parseModelCatalog({
      providers: {
        openai: {
          kind: 'openai',
          baseUrl: fake.openAIBaseUrl,
          apiKeyEnv: 'MY_OPENAI_KEY',
          breaker: { minimumCalls: 2, failureRate: 0.5, openMs: 60_000 },
        },
      },
      models: [
        {
          id: 'gpt',
          provider: 'openai',
          tier: 'small',
          contextWindow: 100,
          maxOutputTokens: 50,
          inputPricePerMillionUsd: 1,
          outputPricePerMillionUsd: 2,
        },
        { id: 'needs-key', provider: 'openai', tier: 'small', contextWindow: 100 },
      ],
      routes: { default: { chain: ['gpt'] } },
    });
    activities = createProviderActivities({
      catalog,
      environment: { MY_OPENAI_KEY: 'sk-from-env' },
      breakers,
      costRecorder: costs,
    });
  });
  beforeEach(() => {
    fake.reset();
    breakers.resetAll();
    costs.records.length = 0;
  });
  afterAll(() => fake.close());

  const input = (content: string, extra: Partial<ModelCallInputRaw> = {}): ModelCallInputRaw => ({
    modelId: 'gpt',
    messages: [{ role: 'user', content }],
    tags: { tenant: 'acme', feature: 'qa', promptVersion: 'p1' },
    ...extra,
  });

  it('calls with the key from the environment, heartbeats while streaming, and prices the usage', async () => {
    const environment = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    environment.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const call = (raw: ModelCallInputRaw): Promise<ModelCallResult> => environment.run(activities.callModel, raw);
    const result = await call(input('hello there'));
    expect(result).toMatchObject({ modelId: 'gpt', finishReason: 'stop', attempt: 1, usage: { outputTokens: 6 } });
    expect(result.estimatedInputTokens).toBeGreaterThan(0);
    expect(result.costMicroUsd).toBe(result.usage.inputTokens * 1 + result.usage.outputTokens * 2);
    expect(heartbeats.length).toBeGreaterThan(0);
    expect(costs.records).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        feature: 'qa',
        promptVersion: 'p1',
        modelId: 'gpt',
        provider: 'openai',
      }),
    ]);
  });

  it('returns and reports how long the attempt waited in its task queue', async () => {
    const scheduled = { currentAttemptScheduledTimestampMs: Date.now() - 1_500 };
    const result: ModelCallResult = await new MockActivityEnvironment(scheduled)
      .run(activities.callModel, input('hello'));
    expect(result.queueWaitMs).toBeGreaterThanOrEqual(1_500);
    expect(result.queueWaitMs).toBeLessThan(60_000);
    fake.failNext({ kind: 'server-error' });
    const failed = new MockActivityEnvironment({ ...scheduled, activityId: 'queued-failure' })
      .run(activities.callModel, input('hello'));
    await expect(failed).rejects.toMatchObject({
      type: 'ProviderUnavailable', details: [expect.objectContaining({ queueWaitMs: expect.any(Number) })],
    });
  });

  it('refuses a prompt over the context window before any request is sent', async () => {
    await expect(
      new MockActivityEnvironment().run(activities.callModel, input('word '.repeat(80))),
    ).rejects.toMatchObject({ type: 'ContextWindowExceeded', nonRetryable: true });
    expect(fake.requests).toEqual([]);
  });

  it('fails fast with a non-retryable CircuitOpen once the breaker has opened', async () => {
    fake.failAlways({ kind: 'server-error' });
    // Two distinct requests (activity ids): the breaker counts requests, not attempts.
    for (let call = 0; call < 2; call++) {
      await expect(new MockActivityEnvironment({ activityId: `call-${call}` }).run(activities.callModel, input('hi')))
        .rejects.toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
    }
    await expect(new MockActivityEnvironment({ activityId: 'call-2' }).run(activities.callModel, input('hi')))
      .rejects.toMatchObject({ type: 'CircuitOpen', nonRetryable: true });
    expect(fake.requests).toHaveLength(2);
  });

  it('reports a model missing from the catalog as non-retryable ModelNotConfigured', async () => {
    await expect(
      new MockActivityEnvironment().run(activities.callModel, input('hi', { modelId: 'nope' })),
    ).rejects.toMatchObject({ type: 'ModelNotConfigured', nonRetryable: true });
  });

  it('reports an unset key variable as ModelNotConfigured, naming the variable but no value', async () => {
    const catalog = parseModelCatalog({
      providers: { openai: { kind: 'openai', baseUrl: fake.openAIBaseUrl, apiKeyEnv: 'UNSET_KEY' } },
      models: [{ id: 'gpt', provider: 'openai', tier: 'small', contextWindow: 10_000 }],
      routes: { default: { chain: ['gpt'] } },
    });
    const withoutKey = createProviderActivities({ catalog, environment: {} });
    await expect(new MockActivityEnvironment().run(withoutKey.callModel, input('hi'))).rejects.toMatchObject({
      type: 'ModelNotConfigured',
      message: expect.stringContaining('UNSET_KEY is not set'),
    });
  });
});

describe('extractive provider', () => {
  it('answers from the grounding passages behind the same interface', async () => {
    const response = await createExtractiveProvider().complete({
      model: 'extractive',
      stream: false,
      maxOutputTokens: 100,
      messages: [{ role: 'user', content: 'ignored' }],
      grounding: {
        question: 'When does the breaker open?',
        passages: [
          {
            id: 'a',
            tenant: 't',
            documentId: 'd',
            chunkIndex: 0,
            title: 't',
            source: 's',
            score: 1,
            text: 'The breaker opens after repeated provider failures in a window.',
          },
        ],
      },
    });
    expect(response).toMatchObject({
      model: 'extractive',
      finishReason: 'stop',
      text: 'The breaker opens after repeated provider failures in a window. [1]',
    });
  });
});
