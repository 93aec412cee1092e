import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import type { ActivityDependencies } from '../../activities';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import { setBudget, showBudget } from '../../client/budget-client';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { openTestDependencies, startLlmWorker, startTestServer, startWorker } from '../helpers/temporal-env';

// The answer's paid model call against the tenant's budget, on the real server with the real OpenAI
// SDK and a fake provider: a granted call settles its real usage once; a refused one is rejected with
// BudgetExceeded or answered by the free extractive model, as the route's policy says.

const retry = { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 2 };
const catalog = (openai: FakeLlmServer) => parseModelCatalog({
  providers: {
    openai: {
      kind: 'openai', baseUrl: openai.openAIBaseUrl, apiKeyEnv: 'TEST_OPENAI_KEY', requestTimeoutMs: 2_000,
      callTimeoutMs: 5_000, heartbeatTimeoutMs: 3_000, retry,
    },
  },
  models: [
    {
      id: 'gpt-mini', provider: 'openai', providerModel: 'gpt-4o-mini', tier: 'small', contextWindow: 128_000,
      inputPricePerMillionUsd: 0.15, outputPricePerMillionUsd: 0.6, maxOutputTokens: 200,
    },
    { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000 },
  ],
  routes: {
    default: { chain: ['gpt-mini'], refine: { enabled: false } },
    thrifty: { chain: ['gpt-mini'], refine: { enabled: false }, overBudget: 'downgrade' },
    refined: { chain: ['gpt-mini'], refine: { enabled: true, minScore: 1, maxIterations: 1 } },
  },
});

const policy = [
  '# Refund policy',
  '',
  'Customers may request a refund within 30 days of delivery. Refunds are paid to the original payment method.',
].join('\n');
const question = 'How many days do customers have to request a refund?';

describe('answerWorkflow within a tenant budget', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let openai: FakeLlmServer;
  const workers: Worker[] = [];
  const running: Promise<void>[] = [];
  let asked = 0;

  const ask = (tenant: string, route?: string): Promise<AnswerResult> => {
    const requestId = `b${(asked += 1)}`;
    return env.client.workflow.execute(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.answer(tenant, requestId),
      args: [{ tenant, requestId, question, ...(route ? { route } : {}) }],
    }) as Promise<AnswerResult>;
  };
  const ingest = (tenant: string) => env.client.workflow.execute(workflowTypes.ingest, {
    taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest(tenant, 'policy'),
    args: [{ tenant, ingestId: 'policy', documents: [{ documentId: 'refunds', text: policy }] }],
  }) as Promise<IngestResult>;

  beforeAll(async () => {
    openai = await FakeLlmServer.start({ apiKey: 'sk-test', reply: () => 'Within 30 days of delivery [1].' });
    const modelCatalog = catalog(openai);
    env = await startTestServer();
    dependencies = { ...(await openTestDependencies()), modelCatalog };
    workers.push(
      await startWorker(env, dependencies),
      await startLlmWorker(env, {
        catalog: modelCatalog, provider: 'openai', environment: { TEST_OPENAI_KEY: 'sk-test' },
      }),
    );
    running.push(...workers.map((worker) => worker.run()));
    for (const tenant of ['funded', 'broke', 'thrifty', 'careful']) expect((await ingest(tenant)).ingestedDocuments).toBe(1);
  });

  afterAll(async () => {
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await dependencies?.store.close();
    await env?.teardown();
    await openai?.close();
  });

  it('reserves before the call and settles its real usage exactly once', async () => {
    await setBudget(env.client, 'funded', { tenant: { period: 'day', maxTokens: 100_000 } });
    const result = await ask('funded');
    expect(result.status).toBe('answered');
    expect(result.model).toBe('gpt-mini');
    const usage = result.generation!.usage;
    const view = await showBudget(env.client, 'funded');
    const tenantScope = view.scopes.find((scope) => scope.scope === 'tenant')!;
    expect(tenantScope.usedTokens).toBe(usage.inputTokens + usage.outputTokens);
    expect(tenantScope.usedMicroUsd).toBe(result.generation!.costMicroUsd);
    expect(tenantScope.reservedTokens).toBe(0);
    expect(view.openReservations).toBe(0);
  });

  it('charges the refinement turns\' model calls too, each settled once', async () => {
    await setBudget(env.client, 'careful', { tenant: { period: 'day', maxTokens: 100_000 } });
    const result = await ask('careful', 'refined');
    expect(result.refinement?.iterations.length).toBeGreaterThan(0);
    const spent = (usage: { inputTokens: number; outputTokens: number }) => usage.inputTokens + usage.outputTokens;
    const refinementTokens = spent(result.refinement!.usage);
    expect(refinementTokens).toBeGreaterThan(0);
    const view = await showBudget(env.client, 'careful');
    const tenantScope = view.scopes.find((scope) => scope.scope === 'tenant')!;
    expect(tenantScope.usedTokens).toBe(spent(result.generation!.usage) + refinementTokens);
    expect(view.openReservations).toBe(0);
  });

  it("rejects a call the budget cannot cover when the route's policy is reject", async () => {
    await setBudget(env.client, 'broke', { tenant: { period: 'day', maxTokens: 50 } });
    const before = openai.requests.length;
    const failure = await ask('broke').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as { type?: string; message: string };
    expect(cause.type).toBe('BudgetExceeded');
    expect(cause.message).toMatch(/tenant/);
    expect(openai.requests.length).toBe(before);
  });

  it("answers with the free extractive model when the route's policy is downgrade", async () => {
    await setBudget(env.client, 'thrifty', { tenant: { period: 'day', maxTokens: 50 } });
    const before = openai.requests.length;
    const result = await ask('thrifty', 'thrifty');
    expect(result.status).not.toBe('blocked');
    expect(result.model).toBe('extractive');
    expect(result.answer).toContain('30 days');
    expect(result.generation!.routing.excluded).toContainEqual({
      modelId: 'gpt-mini', reason: expect.stringMatching(/^over budget: /),
    });
    expect(openai.requests.length).toBe(before);
    const view = await showBudget(env.client, 'thrifty');
    expect(view.scopes.find((scope) => scope.scope === 'tenant')?.usedTokens ?? 0).toBe(0);
  });
});
