import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { join } from 'node:path';
import type { ActivityDependencies } from '../../activities';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import type { ReviewOutcome } from '../../contracts/review';
import { taskQueues } from '../../contracts/task-queues';
import { messageNames, workflowTypes } from '../../contracts/workflow-types';
import { rejectedAnswer } from '../../workflows/answer-replies';
import { openTestDependencies, startTimeSkippingServer, startWorker } from '../helpers/temporal-env';
import { reviewCatalog, waitForPendingReview } from './review-fixtures';

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';

// Review deadlines are hours long: the time-skipping test server jumps over them instead of waiting.
describe('review deadlines on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let worker: Worker;
  let running: Promise<void>;
  const start = (requestId: string, route: string) =>
    env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: `answer~acme~${requestId}`,
      args: [{ tenant: 'acme', requestId, question, route, userId: 'dave' }],
    });

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    dependencies = { ...(await openTestDependencies()), modelCatalog: reviewCatalog() };
    worker = await startWorker(env, dependencies);
    running = worker.run();
    const ingested = await env.client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: 'ingest~acme~corpus',
      args: [{ tenant: 'acme', ingestId: 'corpus', path: corpus }],
    }) as IngestResult;
    expect(ingested.ingestedDocuments).toBe(5);
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await dependencies?.store.close();
    await env?.teardown();
  });

  it('auto-rejects with the safe reply when nobody decides by the deadline', async () => {
    const handle = await start('deadline-reject', 'reviewed');
    const result: AnswerResult = await handle.result();
    expect(result).toMatchObject({ status: 'rejected', answer: rejectedAnswer, citations: [] });
    expect(result.review).toMatchObject({
      decision: 'auto_reject', via: 'deadline', group: 'support', escalated: false,
    });
    expect(result.review?.reviewer).toBeUndefined();
  });

  it('escalates to the second group with a new deadline, whose member can then decide', async () => {
    const handle = await start('deadline-escalate', 'escalating');
    const first = await waitForPendingReview(handle);
    expect(first).toMatchObject({ group: 'support', escalated: false });
    await env.sleep('61 minutes');
    const escalated = await waitForPendingReview(handle);
    expect(escalated).toMatchObject({ group: 'leads', escalated: true });
    expect(Date.parse(escalated.deadline!) - Date.parse(first.deadline!)).toBeGreaterThanOrEqual(2 * 3_600_000);
    // The first group no longer decides it; the second does.
    await expect(handle.executeUpdate(messageNames.reviewDecisionUpdate, {
      args: [{ decision: 'approve', reviewer: 'alice' }],
    })).rejects.toThrow();
    const outcome = await handle.executeUpdate(messageNames.reviewDecisionUpdate, {
      args: [{ decision: 'approve', reviewer: 'carol' }],
    }) as ReviewOutcome;
    expect(outcome.record).toMatchObject({ decision: 'approve', reviewer: 'carol', group: 'leads', escalated: true });
    expect((await handle.result() as AnswerResult).status).toBe('answered');
  });

  it('auto-rejects after the escalation deadline passes too', async () => {
    const handle = await start('deadline-escalate-reject', 'escalating');
    const result: AnswerResult = await handle.result();
    expect(result.status).toBe('rejected');
    expect(result.review).toMatchObject({ decision: 'auto_reject', group: 'leads', escalated: true });
  });
});
