import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityDependencies } from '../../activities';
import { CircuitBreakerRegistry } from '../../activities/models/circuit-breaker';
import { MemoryCostRecorder } from '../../activities/models/cost-recorder';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { ModelCatalog } from '../../contracts/model-catalog';
import type { GenerateRequestInput, GenerateResult } from '../../contracts/models';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { createGpuWorker, createLlmWorker } from '../../workers/llm-worker';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { openTestDependencies, startTestServer, startWorker } from '../helpers/temporal-env';

// generateWorkflow on the real Temporal dev server, with one worker per provider queue and
// the real OpenAI and Anthropic SDKs talking to fake servers that inject faults per test.

const keys = { TEST_OPENAI_KEY: 'sk-openai-test-secret', TEST_ANTHROPIC_KEY: 'sk-anthropic-test-secret' };
const fastRetry = { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 3 };
const breaker = { windowMs: 60_000, minimumCalls: 3, failureRate: 0.5, openMs: 600_000, halfOpenProbes: 1 };
const timeouts = { requestTimeoutMs: 1_000, callTimeoutMs: 5_000, heartbeatTimeoutMs: 3_000 };

function testCatalog(openai: FakeLlmServer, anthropic: FakeLlmServer, local: FakeLlmServer): ModelCatalog {
  return parseModelCatalog({
    providers: {
      openai: {
        kind: 'openai', baseUrl: openai.openAIBaseUrl, apiKeyEnv: 'TEST_OPENAI_KEY', requestsPerMinute: 6_000,
        ...timeouts, retry: fastRetry, breaker,
      },
      anthropic: {
        kind: 'anthropic',
        baseUrl: anthropic.anthropicBaseUrl,
        apiKeyEnv: 'TEST_ANTHROPIC_KEY',
        ...timeouts,
        retry: fastRetry,
        breaker,
      },
      'local-vllm': {
        kind: 'openai-compatible',
        baseUrl: local.openAIBaseUrl,
        selfHosted: true,
        batchCapacity: 4,
        ...timeouts,
        retry: fastRetry,
        breaker,
      },
      // No worker polls this provider's queue: its calls can only wait, for queueTimeoutMs.
      unserved: {
        kind: 'openai', baseUrl: openai.openAIBaseUrl, apiKeyEnv: 'TEST_OPENAI_KEY', ...timeouts, queueTimeoutMs: 1_000,
        retry: fastRetry,
      },
    },
    models: [
      {
        id: 'gpt-mini',
        provider: 'openai',
        providerModel: 'gpt-4o-mini',
        tier: 'small',
        contextWindow: 128_000,
        inputPricePerMillionUsd: 0.15,
        outputPricePerMillionUsd: 0.6,
        tokenizer: 'o200k_base',
      },
      {
        id: 'claude-sonnet',
        provider: 'anthropic',
        providerModel: 'claude-sonnet-4-5',
        tier: 'small',
        contextWindow: 200_000,
        inputPricePerMillionUsd: 3,
        outputPricePerMillionUsd: 15,
      },
      {
        id: 'llama-8b',
        provider: 'local-vllm',
        providerModel: 'meta-llama/Llama-3.1-8B-Instruct',
        tier: 'small',
        contextWindow: 8_192,
      },
      { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000 },
      { id: 'unserved-model', provider: 'unserved', tier: 'small', contextWindow: 128_000 },
    ],
    routes: {
      default: { chain: ['gpt-mini', 'claude-sonnet'] },
      local: { chain: ['llama-8b', 'gpt-mini'] },
      offline: { chain: ['extractive'] },
      unserved: { chain: ['unserved-model', 'gpt-mini'] },
    },
  });
}

const passages = [
  {
    id: 'p1',
    tenant: 'acme',
    documentId: 'breakers.md',
    chunkIndex: 0,
    title: 'Breakers',
    source: 'breakers.md',
    score: 0.9,
    text:
      'A circuit breaker opens after too many provider failures in a window. While it is open, calls fail at once ' +
      'so the workflow falls back.',
  },
];

describe('generateWorkflow: retries, fallbacks and the circuit breaker on the real Temporal server', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let fakes: { openai: FakeLlmServer; anthropic: FakeLlmServer; local: FakeLlmServer };
  const breakers = new CircuitBreakerRegistry();
  const costs = new MemoryCostRecorder();
  const workers: Worker[] = [];
  const running: Promise<void>[] = [];
  let sequence = 0;

  const generate = async (input: Partial<GenerateRequestInput> = {}): Promise<GenerateResult> => {
    const requestId = `r${++sequence}`;
    return env.client.workflow.execute(workflowTypes.generate, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.generate('acme', requestId),
      args: [
        {
          tenant: 'acme',
          requestId,
          feature: 'support',
          promptVersion: 'support-v3',
          messages: [{ role: 'user', content: 'When does a circuit breaker open?' }],
          grounding: { question: 'When does a circuit breaker open?', passages },
          ...input,
        },
      ],
    }) as Promise<GenerateResult>;
  };

  beforeAll(async () => {
    fakes = {
      openai: await FakeLlmServer.start({ apiKey: keys.TEST_OPENAI_KEY }),
      anthropic: await FakeLlmServer.start({ apiKey: keys.TEST_ANTHROPIC_KEY }),
      local: await FakeLlmServer.start(),
    };
    const catalog = testCatalog(fakes.openai, fakes.anthropic, fakes.local);
    env = await startTestServer();
    dependencies = { ...(await openTestDependencies()), modelCatalog: catalog };
    const connection = env.nativeConnection as NativeConnection;
    const shared = {
      connection,
      namespace: env.namespace ?? 'default',
      catalog,
      environment: keys,
      breakers,
      costRecorder: costs,
    };
    workers.push(
      await startWorker(env, dependencies),
      await createLlmWorker({ ...shared, provider: 'openai' }),
      await createLlmWorker({ ...shared, provider: 'anthropic' }),
      await createGpuWorker({ ...shared, modelId: 'llama-8b' }),
    );
    running.push(...workers.map((worker) => worker.run()));
  });

  beforeEach(() => {
    breakers.resetAll();
    Object.values(fakes).forEach((fake) => fake.reset());
    costs.records.length = 0;
  });

  afterAll(async () => {
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await dependencies?.store.close();
    await env?.teardown();
    await Promise.all(Object.values(fakes ?? {}).map((fake) => fake.close()));
  });

  it('retries a 500 and a 429 on the same model, then succeeds and prices the real usage', async () => {
    fakes.openai.failNext({ kind: 'server-error' }).failNext({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const result = await generate();
    expect(result).toMatchObject({
      status: 'answered',
      model: 'gpt-mini',
      degraded: false,
      fallbacks: 0,
      finishReason: 'stop',
    });
    expect(result.text).toBe('Fake answer from gpt-4o-mini: When does a circuit breaker open?');
    expect(result.attempts).toEqual([{
      modelId: 'gpt-mini', taskQueue: 'sluice-llm-openai', outcome: 'succeeded', attempts: 3,
      queueWaitMs: expect.any(Number),
    }]);
    expect(fakes.openai.requests.map((request) => request.status)).toEqual([500, 429, 200]);
    expect(fakes.anthropic.requests).toEqual([]);
    expect(result.routing).toMatchObject({
      route: 'default',
      strategy: 'default',
      chain: ['gpt-mini', 'claude-sonnet'],
    });
    // Usage comes from the response; cost is micro-dollars from the catalog's prices.
    expect(result.usage.outputTokens).toBe(10); // the fake counts words
    expect(result.costMicroUsd).toBe(Math.ceil(result.usage.inputTokens * 0.15 + result.usage.outputTokens * 0.6));
    expect(costs.records).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        feature: 'support',
        promptVersion: 'support-v3',
        modelId: 'gpt-mini',
        costMicroUsd: result.costMicroUsd,
        attempt: 3,
      }),
    ]);
  });

  it('falls back to the second provider when the first fails for good', async () => {
    fakes.openai.failAlways({ kind: 'server-error', status: 503 });
    const result = await generate();
    expect(result).toMatchObject({ status: 'answered', model: 'claude-sonnet', degraded: true, fallbacks: 1 });
    expect(result.text).toBe('Fake answer from claude-sonnet-4-5: When does a circuit breaker open?');
    expect(result.attempts).toEqual([
      expect.objectContaining({
        modelId: 'gpt-mini',
        outcome: 'failed',
        attempts: 3,
        errorType: 'ProviderUnavailable',
      }),
      {
        modelId: 'claude-sonnet', taskQueue: 'sluice-llm-anthropic', outcome: 'succeeded', attempts: 1,
        queueWaitMs: expect.any(Number),
      },
    ]);
    expect(fakes.openai.requests).toHaveLength(3);
    expect(fakes.anthropic.requests).toEqual([
      expect.objectContaining({ protocol: 'anthropic', stream: true, status: 200 }),
    ]);
  });

  it('opens the breaker after minimumCalls failing requests (not attempts); ' +
    'then calls skip the dead provider', async () => {
    fakes.openai.failAlways({ kind: 'server-error' });
    // Each request is tried 3 times; the breaker (minimumCalls 3) counts each request once, so two
    // requests' six failed attempts leave it closed.
    for (let request = 1; request <= 2; request++) {
      const failed = await generate();
      expect(failed.attempts[0]).toMatchObject({ errorType: 'ProviderUnavailable', attempts: 3 });
      expect(fakes.openai.requests).toHaveLength(3 * request);
    }
    // The third request's first failure is the third failing request: the circuit opens, and
    // that request's own retry is refused at once.
    const third = await generate();
    expect(third.attempts[0]).toMatchObject({ errorType: 'CircuitOpen', attempts: 2 });
    expect(fakes.openai.requests).toHaveLength(7);

    const next = await generate();
    expect(next).toMatchObject({ status: 'answered', model: 'claude-sonnet', fallbacks: 1 });
    expect(next.attempts[0]).toMatchObject({
      modelId: 'gpt-mini', outcome: 'failed', attempts: 1, errorType: 'CircuitOpen',
    });
    // The open circuit answered without a request reaching the provider.
    expect(fakes.openai.requests).toHaveLength(7);
  });

  it("throttles a provider's queue at its stated limit and leaves one with no stated limit unthrottled", () => {
    const [, openaiWorker, anthropicWorker, gpuWorker] = workers;
    expect(openaiWorker!.options.maxTaskQueueActivitiesPerSecond).toBe(100); // 6,000 requests per minute
    expect(anthropicWorker!.options.maxTaskQueueActivitiesPerSecond).toBeUndefined(); // no hidden 10/s
    expect(gpuWorker!.options.maxTaskQueueActivitiesPerSecond).toBeUndefined();
  });

  it('marks a call no worker started within queueTimeoutMs as queue_timeout, then falls back', async () => {
    const started = Date.now();
    const result = await generate({ route: 'unserved' });
    expect(result).toMatchObject({ status: 'answered', model: 'gpt-mini', degraded: true, fallbacks: 1 });
    expect(result.attempts[0]).toMatchObject({
      modelId: 'unserved-model', taskQueue: 'sluice-llm-unserved', outcome: 'queue_timeout',
      errorType: 'Timeout:SCHEDULE_TO_START',
    });
    expect(result.attempts[1]).toMatchObject({
      modelId: 'gpt-mini', outcome: 'succeeded', queueWaitMs: expect.any(Number),
    });
    // Its own 1 s budget, not the 5 s start-to-close it used to share.
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  it('returns the extractive answer marked degraded when every provider is down', async () => {
    fakes.openai.failAlways({ kind: 'server-error' });
    fakes.anthropic.failAlways({ kind: 'hang' });
    const result = await generate();
    expect(result).toMatchObject({
      status: 'degraded',
      model: 'extractive',
      degraded: true,
      fallbacks: 2,
      costMicroUsd: 0,
    });
    expect(result.text).toContain('A circuit breaker opens after too many provider failures in a window. [1]');
    expect(result.citations).toEqual([expect.objectContaining({ marker: 1, documentId: 'breakers.md' })]);
    expect(result.attempts.map(({ modelId, errorType, attempts }) => ({ modelId, errorType, attempts }))).toEqual([
      { modelId: 'gpt-mini', errorType: 'ProviderUnavailable', attempts: 3 },
      { modelId: 'claude-sonnet', errorType: 'ProviderTimeout', attempts: 3 },
    ]);
    const description = await env.client.workflow.getHandle(workflowIds.generate('acme', `r${sequence}`)).describe();
    expect(description.searchAttributes.SluiceStatus).toEqual(['degraded']);
  });

  it('does not retry an auth error, and falls back', async () => {
    fakes.openai.failNext({ kind: 'unauthorized' });
    const result = await generate();
    expect(result.attempts[0]).toMatchObject({
      modelId: 'gpt-mini',
      outcome: 'failed',
      attempts: 1,
      errorType: 'AuthFailure',
    });
    expect(fakes.openai.requests).toHaveLength(1);
    expect(result.model).toBe('claude-sonnet');
  });

  it('does not retry a context-window overflow: it is its own type, and the next model is tried', async () => {
    fakes.openai.failNext({ kind: 'context-length' });
    const result = await generate();
    expect(result.attempts[0]).toMatchObject({ attempts: 1, errorType: 'ContextWindowExceeded' });
    expect(fakes.openai.requests).toHaveLength(1);
    expect(result.model).toBe('claude-sonnet');
  });

  it('retries a malformed body and a connection reset (non-streaming call)', async () => {
    fakes.openai.failNext({ kind: 'malformed-json' }).failNext({ kind: 'reset' });
    const result = await generate({ stream: false });
    expect(result.attempts).toEqual([
      expect.objectContaining({ modelId: 'gpt-mini', outcome: 'succeeded', attempts: 3 }),
    ]);
    expect(fakes.openai.requests.map((request) => request.stream)).toEqual([false, false, false]);
  });

  it('routes a self-hosted model to its GPU queue through the OpenAI-compatible adapter', async () => {
    const result = await generate({ route: 'local' });
    expect(result).toMatchObject({ model: 'llama-8b', status: 'answered', costMicroUsd: 0 });
    expect(result.attempts).toEqual([{
      modelId: 'llama-8b', taskQueue: 'sluice-gpu-llama-8b', outcome: 'succeeded', attempts: 1,
      queueWaitMs: expect.any(Number),
    }]);
    expect(result.routing).toMatchObject({ route: 'local', strategy: 'explicit' });
    expect(fakes.local.requests).toEqual([expect.objectContaining({ model: 'meta-llama/Llama-3.1-8B-Instruct' })]);
  });

  it('answers with the extractive model, not degraded, when the route chooses it', async () => {
    const result = await generate({ route: 'offline' });
    expect(result).toMatchObject({ status: 'answered', model: 'extractive', degraded: false, fallbacks: 0 });
    expect(result.citations).toEqual([expect.objectContaining({ marker: 1, documentId: 'breakers.md' })]);
    expect(result.attempts).toEqual([
      { modelId: 'extractive', taskQueue: 'sluice-orchestration', outcome: 'succeeded', attempts: 1 },
    ]);
    expect(fakes.openai.requests).toEqual([]);
  });

  it('turns the passage markers a model writes into citations, ignoring invented ones', async () => {
    fakes.openai.setReply(() => 'It opens after too many failures in a window [1], as configured [7].');
    const result = await generate();
    expect(result.citations).toEqual([
      expect.objectContaining({ marker: 1, documentId: 'breakers.md', source: 'breakers.md' }),
    ]);
  });

  it('keeps API keys out of the workflow history', async () => {
    await generate();
    const history = await env.client.workflow.getHandle(workflowIds.generate('acme', `r${sequence}`)).fetchHistory();
    // Payload data (base64 in the fetched history) decoded to text, so a key in any input,
    // result, failure or heartbeat would show.
    const text = JSON.stringify(history, (key, value: unknown) =>
      (key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value),
    );
    expect(text).toContain('callModel');
    expect(text).toContain('When does a circuit breaker open?');
    expect(text).not.toContain(keys.TEST_OPENAI_KEY);
    expect(text).not.toContain(keys.TEST_ANTHROPIC_KEY);
  });
});
