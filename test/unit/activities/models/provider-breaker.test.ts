import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Info } from '@temporalio/activity';
import { CircuitBreakerRegistry } from '../../../../activities/models/circuit-breaker';
import { parseModelCatalog } from '../../../../activities/models/load-catalog';
import { createProviderActivities } from '../../../../activities/models/provider-activities';
import type { ModelCallInputRaw } from '../../../../contracts/models';
import { FakeLlmServer } from '../../../fakes/fake-llm-server';

// The breaker as the callModel activity drives it, against the real OpenAI SDK and a fake server:
// a cancelled half-open probe must free its slot, and Temporal retries of one request count once.

describe('callModel and its circuit breaker', () => {
  let fake: FakeLlmServer;
  let now = 0;
  const breakers = new CircuitBreakerRegistry(() => now);
  const openMs = 60_000;
  let activities: ReturnType<typeof createProviderActivities>;

  beforeAll(async () => {
    fake = await FakeLlmServer.start();
    const catalog = parseModelCatalog({
      providers: {
        openai: {
          kind: 'openai', baseUrl: fake.openAIBaseUrl, apiKeyEnv: 'KEY', requestTimeoutMs: 30_000,
          breaker: { windowMs: 600_000, minimumCalls: 3, failureRate: 0.5, openMs, halfOpenProbes: 1 },
        },
      },
      models: [{ id: 'gpt', provider: 'openai', tier: 'small', contextWindow: 10_000 }],
      routes: { default: { chain: ['gpt'] } },
    });
    activities = createProviderActivities({ catalog, environment: { KEY: 'sk-test' }, breakers });
  });
  beforeEach(() => {
    now = 0;
    fake.reset();
    breakers.resetAll();
  });
  afterAll(() => fake.close());

  const input: ModelCallInputRaw = {
    modelId: 'gpt', messages: [{ role: 'user', content: 'hi' }],
    tags: { tenant: 'acme', feature: 'qa', promptVersion: 'p1' },
  };
  // One Temporal attempt of one scheduled activity (a request) of one workflow run.
  const attemptOf = (request: string, attempt = 1): Partial<Info> => ({
    activityId: request, attempt, workflowExecution: { workflowId: `answer-acme-${request}`, runId: 'run-1' },
  });
  const call = (info: Partial<Info>) => new MockActivityEnvironment(info).run(activities.callModel, input);
  const openCircuit = async (): Promise<void> => {
    fake.failAlways({ kind: 'server-error' });
    for (const request of ['a', 'b', 'c']) {
      await expect(call(attemptOf(request))).rejects.toMatchObject({ type: 'ProviderUnavailable' });
    }
    await expect(call(attemptOf('d'))).rejects.toMatchObject({ type: 'CircuitOpen', nonRetryable: true });
    fake.reset();
  };

  it('frees the slot of a half-open probe whose call is cancelled, so a later call is admitted', async () => {
    await openCircuit();
    now = openMs; // half-open: one probe at a time
    fake.failNext({ kind: 'hang' });
    const environment = new MockActivityEnvironment(attemptOf('probe'));
    const probe = environment.run(activities.callModel, input);
    const sent = fake.requests.length;
    while (fake.requests.length === sent) await new Promise((resolve) => setTimeout(resolve, 10));
    environment.cancel(); // the workflow gave up on it, or its heartbeat timed out
    await expect(probe).rejects.toBeInstanceOf(CancelledFailure);

    const next = await call(attemptOf('after'));
    expect(next).toMatchObject({ modelId: 'gpt', finishReason: 'stop' });
    expect(breakers.get('openai', { windowMs: 1, minimumCalls: 1, failureRate: 1, openMs: 1, halfOpenProbes: 1 }).state)
      .toBe('closed');
  });

  it('does not open on N retries of one failing request, where N is minimumCalls', async () => {
    fake.failAlways({ kind: 'server-error' });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await expect(call(attemptOf('one-request', attempt))).rejects.toMatchObject({ type: 'ProviderUnavailable' });
    }
    // Still closed: the next request reaches the provider.
    await expect(call(attemptOf('second'))).rejects.toMatchObject({ type: 'ProviderUnavailable' });
    expect(fake.requests).toHaveLength(4);
  });

  it('opens on N distinct failing requests, where N is minimumCalls', async () => {
    fake.failAlways({ kind: 'server-error' });
    for (const request of ['r1', 'r2', 'r3']) {
      await expect(call(attemptOf(request))).rejects.toMatchObject({ type: 'ProviderUnavailable' });
    }
    await expect(call(attemptOf('r4'))).rejects.toMatchObject({ type: 'CircuitOpen', nonRetryable: true });
    expect(fake.requests).toHaveLength(3);
  });
});
