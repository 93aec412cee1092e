import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { join } from 'node:path';
import { createActivities, type ActivityDependencies } from '../../activities';
import { createFeedbackActivities } from '../../activities/feedback/activities';
import { FeedbackStore } from '../../activities/feedback/feedback-store';
import { WorkflowRunError } from '../../client/errors';
import { feedbackReport, recordFeedback } from '../../client/feedback-client';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { freshDataDir, openTestDependencies, startTestServer } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const crashQuestion = 'What happens when a worker process crashes in the middle of an answer?';

describe('feedback workflows on the real Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let feedbackStore: FeedbackStore;
  let worker: Worker;
  let running: Promise<void>;
  let crashAnswer: AnswerResult;

  const run = <T>(type: string, workflowId: string, input: unknown): Promise<T> =>
    env.client.workflow.execute(type, { taskQueue: taskQueues.orchestration, workflowId, args: [input] }) as Promise<T>;
  const crashId = workflowIds.answer('acme', 'crash');

  beforeAll(async () => {
    env = await startTestServer();
    dependencies = await openTestDependencies();
    feedbackStore = await FeedbackStore.open(freshDataDir());
    // The orchestration worker with the feedback activities beside the usual ones.
    worker = await Worker.create({
      connection: env.nativeConnection as NativeConnection, namespace: env.namespace ?? 'default',
      taskQueue: taskQueues.orchestration, workflowBundle: { codePath: workflowBundlePath },
      activities: {
        ...createActivities(dependencies), ...createFeedbackActivities({ client: env.client, store: feedbackStore }),
      },
    });
    running = worker.run();
    const ingested = await run<IngestResult>(workflowTypes.ingest, workflowIds.ingest('acme', 'corpus'), {
      tenant: 'acme', ingestId: 'corpus', path: corpus,
    });
    expect(ingested.ingestedDocuments).toBe(5);
    crashAnswer = await run<AnswerResult>(workflowTypes.answer, crashId, {
      tenant: 'acme', requestId: 'crash', question: crashQuestion,
    });
    expect(crashAnswer.status).toBe('answered');
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await dependencies?.store.close();
    await feedbackStore?.close();
    await env?.teardown();
  });

  it('links a rating to the prompt version, variant, model and route of the run it rates', async () => {
    const rating = {
      tenant: 'acme', workflowId: crashId, rating: 'up', comment: 'clear and cited', userId: 'ann',
    } as const;
    const record = await recordFeedback(env.client, { ...rating, feedbackId: 'link-1' });
    const { runId } = await env.client.workflow.getHandle(crashId).describe();
    expect(record).toMatchObject({
      ...rating, runId, status: 'answered',
      promptId: crashAnswer.pinned?.promptId ?? 'grounded-answer',
      promptVersion: crashAnswer.pinned?.promptVersion ?? crashAnswer.generation?.promptVersion,
      variant: crashAnswer.pinned?.variant ?? 'default',
      model: 'extractive',
      route: crashAnswer.pinned?.route ?? crashAnswer.generation?.routing.route,
    });
    expect(record.promptVersion).not.toBe('unknown');
    // The rating is findable in the UI beside, not among, the answers.
    const feedbackRun = env.client.workflow.getHandle(workflowIds.feedback('acme', 'link-1'));
    const attributes = (await feedbackRun.describe()).searchAttributes;
    expect(attributes[sluiceSearchAttributes.tenant.name]).toEqual(['acme']);
    expect(attributes[sluiceSearchAttributes.feature.name]).toEqual(['feedback']);
    expect(attributes[sluiceSearchAttributes.status.name]).toEqual(['recorded']);
    // A client retry with the same feedback id returns the first result, not a second rating.
    const retried = await recordFeedback(env.client, {
      tenant: 'acme', workflowId: crashId, rating: 'down', userId: 'ann', feedbackId: 'link-1',
    });
    expect(retried).toEqual(record);
  });

  it("replaces a user's earlier rating of the same run with the later one", async () => {
    const requestId = 'replace';
    const workflowId = workflowIds.answer('acme', requestId);
    await run(workflowTypes.answer, workflowId, {
      tenant: 'acme', requestId, question: 'Which store does production use?',
    });
    const rate = (userId: string, rating: 'up' | 'down', comment?: string) =>
      recordFeedback(env.client, { tenant: 'acme', workflowId, rating, userId, ...(comment ? { comment } : {}) });
    await rate('bob', 'up');
    await rate('bob', 'down', 'changed my mind');
    await rate('cy', 'up');
    const stored = (await feedbackStore.list('acme')).filter((record) => record.workflowId === workflowId);
    expect(stored.map((record) => [record.userId, record.rating, record.comment])).toEqual(
      expect.arrayContaining([['bob', 'down', 'changed my mind'], ['cy', 'up', undefined]]),
    );
    expect(stored).toHaveLength(2);
  });

  it('refuses a run it cannot rate with one clear line, at once', async () => {
    const rate = (workflowId: string) => recordFeedback(env.client, { tenant: 'acme', workflowId, rating: 'up' });
    const unknownId = workflowIds.answer('acme', 'never-asked');
    const unknownMessage = `no answer run ${unknownId} found for tenant acme`;
    await expect(rate(unknownId)).rejects.toThrow(new WorkflowRunError(unknownMessage, ''));
    const rateOnce = recordFeedback(env.client, {
      tenant: 'acme', workflowId: unknownId, rating: 'up', feedbackId: 'gone',
    });
    await expect(rateOnce).rejects.toMatchObject({ failureType: 'UnknownRun' });
    // The failed rating reads as failed in the UI, not as running.
    const failedRun = await env.client.workflow.getHandle(workflowIds.feedback('acme', 'gone')).describe();
    expect(failedRun.searchAttributes[sluiceSearchAttributes.status.name]).toEqual(['failed']);

    // Another tenant's run reads exactly like one that does not exist.
    const otherId = workflowIds.answer('other', 'crash');
    await run(workflowTypes.answer, otherId, { tenant: 'other', requestId: 'crash', question: crashQuestion });
    await expect(rate(otherId)).rejects.toThrow(`no answer run ${otherId} found for tenant acme`);

    await expect(rate(workflowIds.ingest('acme', 'corpus')))
      .rejects.toThrow(/is not an answer run .*only answers can be rated/);

    // An answer still running (no worker polls its queue, so it never finishes here).
    const pendingId = workflowIds.answer('acme', 'pending');
    await env.client.workflow.start(workflowTypes.answer, {
      taskQueue: 'feedback-test-nobody-polls', workflowId: pendingId, memo: { sluiceTenant: 'acme' },
      args: [{ tenant: 'acme', requestId: 'pending', question: crashQuestion }],
    });
    try {
      await expect(rate(pendingId))
        .rejects.toThrow(`answer run ${pendingId} is running, not completed: rate it once it has answered`);
    } finally {
      await env.client.workflow.getHandle(pendingId).terminate('test done');
    }
    // None of them left a rating behind.
    const rated = new Set((await feedbackStore.list('acme')).map((record) => record.workflowId));
    expect([unknownId, otherId, pendingId].filter((id) => rated.has(id))).toEqual([]);
  });

  it('reports ratings by prompt version and variant, per tenant', async () => {
    // A tenant of its own, so the counts do not depend on the other tests' ratings.
    const tenant = 'initech';
    await run(workflowTypes.ingest, workflowIds.ingest(tenant, 'corpus'), { tenant, ingestId: 'corpus', path: corpus });
    const ask = (requestId: string, question: string) =>
      run<AnswerResult>(workflowTypes.answer, workflowIds.answer(tenant, requestId), { tenant, requestId, question });
    const [first] = await Promise.all([
      ask('q1', crashQuestion), ask('q2', 'How are model providers chosen and what happens when one fails?'),
    ]);
    const rate = (requestId: string, userId: string, rating: 'up' | 'down') =>
      recordFeedback(env.client, { tenant, workflowId: workflowIds.answer(tenant, requestId), rating, userId });
    await rate('q1', 'ann', 'up');
    await rate('q1', 'bob', 'down');
    await rate('q2', 'ann', 'down');
    // Every run here gets the default variant; a stored rating of another variant shows the split.
    await feedbackStore.upsert({
      tenant, workflowId: workflowIds.answer(tenant, 'elsewhere'), runId: 'r', status: 'answered',
      promptId: 'grounded-answer', promptVersion: 'v-next', variant: 'treatment', model: 'extractive',
      route: 'default', rating: 'up', recordedAt: new Date().toISOString(),
    });
    const report = await feedbackReport(env.client, { tenant });
    expect(report).toEqual({
      tenant, total: 4, rows: [
        {
          promptId: first!.pinned?.promptId ?? 'grounded-answer',
          promptVersion: first!.pinned?.promptVersion ?? first!.generation?.promptVersion,
          variant: 'default', up: 1, down: 2, approval: 1 / 3,
        },
        { promptId: 'grounded-answer', promptVersion: 'v-next', variant: 'treatment', up: 1, down: 0, approval: 1 },
      ],
    });
    const ofOther = await feedbackReport(env.client, { tenant: 'other' });
    expect(ofOther).toEqual({ tenant: 'other', total: 0, rows: [] });
  });
});
