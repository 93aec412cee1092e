import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityDependencies } from '../../activities';
import { defaultPromptsFolder, loadPromptLibrary } from '../../activities/prompts/prompt-library';
import type { AnswerResult } from '../../contracts/answer';
import { GateConfig } from '../../contracts/gate-config';
import type { IngestResult } from '../../contracts/ingest';
import type { ReviewOutcome } from '../../contracts/review';
import { taskQueues } from '../../contracts/task-queues';
import { messageNames, workflowTypes } from '../../contracts/workflow-types';
import { storeWithSearchDown } from '../helpers/store-with-search-down';
import { openTestDependencies, startTestServer, startWorker } from '../helpers/temporal-env';
import { decodedHistoryText } from './decoded-history';
import { reviewCatalog, waitForPendingReview } from './review-fixtures';

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';
const v2System = 'Answer in one sentence, only from the numbered passages, citing them like [1].';
// Supported first sentence, unsupported second: the default groundedness gate only asks for review
// (waived for a reviewer's edit); the stricter policy written later blocks it.
const editText = 'The workflow resumes on another worker, which replays the history [1]. Bananas are yellow fruit [1].';

describe('an answer run keeps the prompt, route and gate policy it started with', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let promptsFolder: string;
  let worker: { worker: Worker; running: Promise<void> } | undefined;
  const runWorker = async (extra: Partial<ActivityDependencies>) => {
    const started = await startWorker(env, { ...dependencies, ...extra });
    worker = { worker: started, running: started.run() };
  };
  const stopWorker = async () => {
    worker?.worker.shutdown();
    await worker?.running;
    worker = undefined;
  };
  const start = (requestId: string): Promise<WorkflowHandle> => env.client.workflow.start(workflowTypes.answer, {
    taskQueue: taskQueues.orchestration, workflowId: `answer~acme~${requestId}`,
    args: [{ tenant: 'acme', requestId, question, route: 'reviewed', userId: 'dave' }],
  });
  const edit = (handle: WorkflowHandle) => handle.executeUpdate(messageNames.reviewDecisionUpdate, {
    args: [{ decision: 'edit', reviewer: 'alice', text: editText }],
  }) as Promise<ReviewOutcome>;

  beforeAll(async () => {
    env = await startTestServer();
    promptsFolder = mkdtempSync(join(tmpdir(), 'sluice-prompts-'));
    cpSync(defaultPromptsFolder, promptsFolder, { recursive: true });
    dependencies = {
      ...(await openTestDependencies()), modelCatalog: reviewCatalog(), prompts: loadPromptLibrary(promptsFolder),
    };
    await runWorker({});
    const ingested = await env.client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: 'ingest~acme~corpus',
      args: [{ tenant: 'acme', ingestId: 'corpus', path: corpus }],
    }) as IngestResult;
    expect(ingested.ingestedDocuments).toBe(5);
    await stopWorker();
  });

  afterAll(async () => {
    await stopWorker();
    await dependencies?.store.close();
    await env?.teardown();
  });

  it('finishes on its original prompt and gate policy after the files change and the worker restarts', async () => {
    // Worker 1 pins the plan, then cannot search: the run waits, retrying, before its model call.
    await runWorker({ store: storeWithSearchDown(dependencies.store) });
    const pinnedRun = await start('pinned');
    for (let attempt = 0; ; attempt += 1) {
      const pending = (await pinnedRun.describe()).raw.pendingActivities ?? [];
      if (pending.some(
        (activity) => activity.activityType?.name === 'retrieveContext' && (activity.attempt ?? 0) >= 2,
      )) break;
      if (attempt > 100) throw new Error('the run never reached its retrieval retries');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Not yet in review: a decision is refused by the validator, with the reason.
    await expect(pinnedRun.executeUpdate(messageNames.reviewDecisionUpdate, {
      args: [{ decision: 'approve', reviewer: 'alice' }],
    })).rejects.toMatchObject({ cause: { message: 'this run is not waiting for review' } });
    await stopWorker();

    // A new prompt version becomes current, and a stricter gate policy is deployed, with a new worker.
    const v1 = JSON.parse(
      readFileSync(join(promptsFolder, 'grounded-answer', 'grounded-v1.json'), 'utf8'),
    ) as { system: string };
    writeFileSync(
      join(promptsFolder, 'grounded-answer', 'grounded-v2.json'),
      JSON.stringify({ ...v1, version: 'grounded-v2', system: v2System }),
    );
    const registryFile = join(promptsFolder, 'registry.json');
    const registry = JSON.parse(readFileSync(registryFile, 'utf8')) as { current: Record<string, string> };
    writeFileSync(registryFile, JSON.stringify({
      ...registry, current: { ...registry.current, 'grounded-answer': 'grounded-v2' },
    }));
    const stricter = new GateConfig({ defaults: { output: { groundedness: { action: 'block', minScore: 0.9 } } } });
    await runWorker({ prompts: loadPromptLibrary(promptsFolder), gates: { config: stricter } });

    const view = await waitForPendingReview(pinnedRun);
    expect(view.draft).toMatch(/\[1\]/);
    const freshRun = await start('fresh');
    await waitForPendingReview(freshRun);

    // The pinned run's edit is judged by the policy it started with; the fresh run's by today's.
    expect((await edit(pinnedRun)).record.decision).toBe('edit');
    await expect(edit(freshRun)).rejects.toThrow();
    await freshRun.executeUpdate(messageNames.reviewDecisionUpdate, {
      args: [{ decision: 'reject', reviewer: 'bob', reason: 'test' }],
    });

    const pinned: AnswerResult = await pinnedRun.result();
    const fresh: AnswerResult = await freshRun.result();
    expect(pinned.status).toBe('answered');
    expect(pinned.answer).toBe(editText);
    expect(pinned.pinned).toMatchObject({
      promptId: 'grounded-answer', promptVersion: 'grounded-v1', route: 'reviewed',
    });
    expect(pinned.generation?.promptVersion).toBe('grounded-v1');
    expect(fresh.pinned?.promptVersion).toBe('grounded-v2');
    expect(fresh.pinned?.gatePolicyVersion).not.toBe(pinned.pinned?.gatePolicyVersion);
    expect(fresh.pinned?.catalogVersion).toBe(pinned.pinned?.catalogVersion);

    // The model call after the restart was built from the pinned v1 template, not the current v2.
    // (Booleans, not toContain: a failure would print the whole history.)
    const history = decodedHistoryText(await pinnedRun.fetchHistory());
    expect(history.includes(JSON.stringify(v1.system).slice(1, -1))).toBe(true);
    expect(history.includes(v2System)).toBe(false);
    expect(decodedHistoryText(await freshRun.fetchHistory()).includes(v2System)).toBe(true);
  });
});
