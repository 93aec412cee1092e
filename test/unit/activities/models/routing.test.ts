import { MockActivityEnvironment } from '@temporalio/testing';
import { createModelActivities } from '../../../../activities/models/activities';
import { ModelCatalogError, parseModelCatalog } from '../../../../activities/models/load-catalog';
import { estimateComplexity, tierFor } from '../../../../activities/models/routing';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import type { ModelPlan, RoutingRequest } from '../../../../contracts/models';

const catalog = parseModelCatalog({
  providers: {
    openai: { kind: 'openai', apiKeyEnv: 'OPENAI_API_KEY', callTimeoutMs: 60_000, heartbeatTimeoutMs: 20_000 },
    anthropic: { kind: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' },
    vllm: { kind: 'openai-compatible', baseUrl: 'http://gpu-1:8000/v1', selfHosted: true, batchCapacity: 32 },
  },
  models: [
    { id: 'mini', provider: 'openai', tier: 'small', contextWindow: 128_000, maxOutputTokens: 1_000, inputPricePerMillionUsd: 0.15, outputPricePerMillionUsd: 0.6, latencyClass: 'fast' },
    { id: 'opus', provider: 'anthropic', tier: 'large', contextWindow: 200_000, maxOutputTokens: 1_000, inputPricePerMillionUsd: 15, outputPricePerMillionUsd: 75, latencyClass: 'slow' },
    { id: 'llama', provider: 'vllm', tier: 'medium', contextWindow: 60, maxOutputTokens: 20 },
  ],
  routes: {
    default: { chain: ['mini', 'opus'] },
    billing: { chain: ['opus', 'mini'], examples: ['Why was my invoice charged twice this month?', 'How do I get a refund for a payment?'] },
    local: { chain: ['llama', 'mini'] },
  },
});

const plan = async (request: Partial<RoutingRequest> & { text?: string }): Promise<ModelPlan> => {
  const activities = createModelActivities({ modelCatalog: catalog, routingEmbedder: new HashingEmbedder() });
  const { text = 'What is the capital of France?', ...rest } = request;
  const input: RoutingRequest = { messages: [{ role: 'user', content: text }], ...rest };
  return new MockActivityEnvironment().run(activities.planModelRoute, input);
};

describe('model catalog validation', () => {
  it('names the broken field', () => {
    expect(() => parseModelCatalog({ models: [{ id: 'a', provider: 'nope', tier: 'small', contextWindow: 10 }], routes: { default: { chain: ['b'] } } }))
      .toThrow(/models\.0\.provider: unknown provider nope.*routes\.default\.chain\.0: unknown model b/);
    expect(() => parseModelCatalog({ providers: { x: { kind: 'openai-compatible' } }, models: [{ id: 'a', provider: 'x', tier: 'small', contextWindow: 10 }], routes: { default: { chain: ['a'] } } }))
      .toThrow(ModelCatalogError);
    expect(() => parseModelCatalog({ providers: { x: { kind: 'openai', apiKeyEnv: 'sk-live-123' } }, models: [{ id: 'a', provider: 'x', tier: 'small', contextWindow: 10 }], routes: { default: { chain: ['a'] } } }))
      .toThrow(/apiKeyEnv: must be an environment variable name/);
  });
});

describe('routing', () => {
  it('scores complexity from length and intent', () => {
    expect(estimateComplexity(10, 'lookup')).toBeLessThan(estimateComplexity(10, 'analysis'));
    expect(estimateComplexity(5_000)).toBeGreaterThan(estimateComplexity(50));
    expect(tierFor(0.9)).toBe('large');
    expect(tierFor(0.1)).toBe('small');
    expect(tierFor(0.1, 'large')).toBe('large');
  });

  it('orders the chain by the tier the request needs and records the decision', async () => {
    const simple = await plan({ intent: 'lookup' });
    expect(simple.decision).toMatchObject({ route: 'default', strategy: 'default', tier: 'small', chain: ['mini', 'opus'] });
    const demanding = await plan({ intent: 'analysis', tierHint: 'large' });
    expect(demanding.decision).toMatchObject({ tier: 'large', chain: ['opus', 'mini'] });
    expect(demanding.candidates[0]).toMatchObject({ modelId: 'opus', taskQueue: 'sluice-llm-anthropic' });
  });

  it('leaves out models over the cost ceiling or slower than the latency class, saying why', async () => {
    const cheap = await plan({ maxCostMicroUsd: 5_000 });
    expect(cheap.decision.chain).toEqual(['mini']);
    expect(cheap.decision.excluded).toEqual([{ modelId: 'opus', reason: expect.stringMatching(/over the ceiling of 5000/) }]);
    const fast = await plan({ latencyClass: 'fast' });
    expect(fast.decision.excluded).toEqual([{ modelId: 'opus', reason: 'latency class slow slower than fast' }]);
  });

  it('leaves out a model whose context window cannot hold the prompt plus output', async () => {
    const result = await plan({ route: 'local', text: 'word '.repeat(100) });
    expect(result.decision.excluded).toEqual([{ modelId: 'llama', reason: expect.stringMatching(/^context window 60 < \d+ \+ 20 tokens$/) }]);
    expect(result.decision.chain).toEqual(['mini']);
    const short = await plan({ route: 'local', text: 'hi', tierHint: 'medium' });
    expect(short.candidates[0]).toMatchObject({ modelId: 'llama', taskQueue: 'sluice-gpu-llama', estimatedCostMicroUsd: 0 });
  });

  it('routes by similarity to example queries (semantic strategy)', async () => {
    const result = await plan({ text: 'My invoice shows the payment was charged twice, can I get a refund?' });
    expect(result.decision).toMatchObject({ route: 'billing', strategy: 'semantic' });
    expect(result.decision.similarity).toBeGreaterThanOrEqual(catalog.semanticMinSimilarity);
    const unrelated = await plan({ text: 'Explain photosynthesis in plants' });
    expect(unrelated.decision).toMatchObject({ route: 'default', strategy: 'default' });
  });

  it('carries the catalog timeouts and retry policy into the plan, and rejects an unknown route', async () => {
    const result = await plan({});
    expect(result.candidates[0]).toMatchObject({ startToCloseMs: 60_000, heartbeatMs: 20_000, retry: { maximumAttempts: 4, initialIntervalMs: 1_000 } });
    await expect(plan({ route: 'nope' })).rejects.toMatchObject({ type: 'InvalidInput' });
  });
});
