import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { join } from 'node:path';
import type { ActivityDependencies } from '../../activities';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import type { ContextPolicy } from '../../contracts/retrieval';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { storeWithSearchDown } from '../helpers/store-with-search-down';
import { openTestDependencies, startLlmWorker, startTestServer, startWorker } from '../helpers/temporal-env';

// A route's context policy on the real server with the real OpenAI SDK and a fake provider: the prompt the
// provider receives carries only the passages the policy keeps, and a running answer keeps the policy it
// pinned after the catalog changes and its worker restarts. A question outside the documents is answered
// no_context before any model call, unless the route turns that check off.

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';
const retry = { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 2 };
const catalog = (openai: FakeLlmServer, trimmed: ContextPolicy | undefined) => parseModelCatalog({
  providers: {
    openai: {
      kind: 'openai', baseUrl: openai.openAIBaseUrl, requestTimeoutMs: 2_000, callTimeoutMs: 5_000,
      heartbeatTimeoutMs: 3_000, retry,
    },
  },
  models: [{ id: 'gpt-mini', provider: 'openai', tier: 'small', contextWindow: 128_000 }],
  routes: {
    default: { chain: ['gpt-mini'], refine: { enabled: false }, review: { deadline: '1s' } },
    trimmed: {
      chain: ['gpt-mini'], refine: { enabled: false }, review: { deadline: '1s' },
      ...(trimmed ? { context: trimmed } : {}),
    },
    unchecked: {
      chain: ['gpt-mini'], refine: { enabled: false }, review: { deadline: '1s' }, context: { offTopicSimilarity: 0 },
    },
  },
});

/** Passages in a rendered grounded-answer prompt ("[n] (source) text" blocks). */
const passagesIn = (prompt: string | undefined): number => (prompt?.match(/(?:^|\n)\[\d+\] \(/g) ?? []).length;

describe("answerWorkflow with a route's context policy", () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let openai: FakeLlmServer;
  let llm: { worker: Worker; running: Promise<void> };
  let orchestration: { worker: Worker; running: Promise<void> } | undefined;
  let asked = 0;

  const runOrchestration = async (extra: Partial<ActivityDependencies>) => {
    const worker = await startWorker(env, { ...dependencies, ...extra });
    orchestration = { worker, running: worker.run() };
  };
  const stopOrchestration = async () => {
    orchestration?.worker.shutdown();
    await orchestration?.running;
    orchestration = undefined;
  };
  const start = (route: string, asking = question): Promise<WorkflowHandle> => {
    const requestId = `c${(asked += 1)}`;
    return env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.answer('acme', requestId),
      args: [{ tenant: 'acme', requestId, question: asking, route }],
    });
  };
  /** The prompt the provider received for a run, once it finished (runs here go one at a time). */
  const promptOf = async (handle: WorkflowHandle): Promise<string | undefined> => {
    const result = (await handle.result()) as AnswerResult;
    expect(result.model).toBe('gpt-mini');
    return openai.requests.at(-1)?.lastUserMessage;
  };

  beforeAll(async () => {
    // Quotes the first passage's first sentence, cited, so the groundedness gate passes it.
    openai = await FakeLlmServer.start({
      reply: (_model, prompt) => `${/\[1\] \([^)]*\) ([^.]*\.)/.exec(prompt)?.[1] ?? 'No answer.'} [1]`,
    });
    env = await startTestServer();
    const modelCatalog = catalog(openai, { maxPassages: 1 });
    dependencies = { ...(await openTestDependencies()), modelCatalog };
    llm = await (async () => {
      const worker = await startLlmWorker(env, { catalog: modelCatalog, provider: 'openai' });
      return { worker, running: worker.run() };
    })();
    await runOrchestration({});
    const ingested = (await env.client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest('acme', 'corpus'),
      args: [{ tenant: 'acme', ingestId: 'corpus', path: corpus }],
    })) as IngestResult;
    expect(ingested.ingestedDocuments).toBe(5);
  });

  afterAll(async () => {
    await stopOrchestration();
    llm?.worker.shutdown();
    await llm?.running;
    await dependencies?.store.close();
    await env?.teardown();
    await openai?.close();
  });

  it('sends the model only the passages the policy keeps', async () => {
    openai.requests.length = 0;
    const full = passagesIn(await promptOf(await start('default')));
    const trimmed = passagesIn(await promptOf(await start('trimmed')));
    expect(full).toBeGreaterThan(1);
    expect(trimmed).toBe(1);
  });

  it('answers a question outside the documents no_context without a model call, unless the route says not to',
    async () => {
      openai.requests.length = 0;
      const outside = 'What will the weather be like in Paris tomorrow?';
      const refused = (await (await start('default', outside)).result()) as AnswerResult;
      expect(refused).toMatchObject({ status: 'no_context', model: 'none', citations: [] });
      // A passage a little similar (0.34, "… a retry policy …") with half the question's words in none.
      const policy = (await (await start('default', 'What is our refund policy?')).result()) as AnswerResult;
      expect(policy).toMatchObject({ status: 'no_context', model: 'none' });
      expect(openai.requests).toHaveLength(0);
      // A keyword question scores low on similarity too, but its word is in the documents: it is answered.
      const keyword = (await (await start('default', 'heartbeat')).result()) as AnswerResult;
      expect(keyword).toMatchObject({ status: 'answered', model: 'gpt-mini' });
      const unchecked = (await (await start('unchecked', outside)).result()) as AnswerResult;
      expect(unchecked.model).toBe('gpt-mini');
      expect(openai.requests).toHaveLength(2);
    });

  it('keeps the pinned policy for a running answer after the catalog changes and the worker restarts', async () => {
    await stopOrchestration();
    // Worker 1 pins the plan (maxPassages 1), then cannot search: the run waits, retrying, before its model call.
    await runOrchestration({ store: storeWithSearchDown(dependencies.store) });
    const pinnedRun = await start('trimmed');
    for (let attempt = 0; ; attempt += 1) {
      const pending = (await pinnedRun.describe()).raw.pendingActivities ?? [];
      if (pending.some(
        (activity) => activity.activityType?.name === 'retrieveContext' && (activity.attempt ?? 0) >= 2,
      )) break;
      if (attempt > 100) throw new Error('the run never reached its retrieval retries');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stopOrchestration();

    // The route loses its policy in the catalog the next worker loads.
    await runOrchestration({ modelCatalog: catalog(openai, undefined) });
    openai.requests.length = 0;
    expect(passagesIn(await promptOf(pinnedRun))).toBe(1);
    expect(passagesIn(await promptOf(await start('trimmed')))).toBeGreaterThan(1);
    await stopOrchestration();
    await runOrchestration({});
  });
});
