import { WorkflowUpdateFailedError } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import type { ReviewOutcome } from '../../contracts/review';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { taskQueues } from '../../contracts/task-queues';
import { messageNames, workflowTypes } from '../../contracts/workflow-types';
import { rejectedAnswer } from '../../workflows/answer-replies';
import { InvalidRequestError, ReviewRefusedError, UnknownRunError } from '../../client/errors';
import { decideReview } from '../../client/review-client';
import { startTestStack, type TestStack } from '../helpers/temporal-env';
import { reviewCatalog, waitForPendingReview } from './review-fixtures';

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';

describe('human review of answers on the real Temporal dev server', () => {
  let stack: TestStack;
  const start = (requestId: string, extra: Record<string, unknown> = {}) =>
    stack.env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: `answer~acme~${requestId}`,
      args: [{ tenant: 'acme', requestId, question, route: 'reviewed', userId: 'dave', ...extra }],
    });
  const decide = (
    handle: { executeUpdate: (name: string, options: { args: unknown[] }) => Promise<unknown> },
    decision: unknown,
  ) =>
    handle.executeUpdate(messageNames.reviewDecisionUpdate, { args: [decision] }) as Promise<ReviewOutcome>;
  const refusal = async (promise: Promise<unknown>): Promise<string> => {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return (error as WorkflowUpdateFailedError).cause?.message ?? '';
  };

  beforeAll(async () => {
    stack = await startTestStack(() => ({ modelCatalog: reviewCatalog() }));
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest~acme~corpus', {
      tenant: 'acme', ingestId: 'corpus', path: corpus,
    });
    expect(ingested.ingestedDocuments).toBe(5);
  });

  afterAll(() => stack?.stop());

  it('waits in pending_review with its draft, then releases it when approved', async () => {
    const handle = await start('approve');
    const view = await waitForPendingReview(handle);
    expect(view).toMatchObject({ state: 'pending', group: 'support', requestedBy: 'dave', escalated: false });
    expect(view.reasons).toEqual(['route reviewed sends every answer to review']);
    expect(view.draft).toMatch(/replays the history/);
    expect(view.citations[0]?.passage.length).toBeGreaterThan(0);
    expect(Date.parse(view.deadline!) - Date.now()).toBeGreaterThan(55 * 60_000);
    const attributes = (await handle.describe()).searchAttributes;
    expect(attributes[sluiceSearchAttributes.status.name]).toEqual(['pending_review']);
    expect(attributes[sluiceSearchAttributes.reviewGroup.name]).toEqual(['support']);

    const outcome = await decide(handle, { decision: 'approve', reviewer: 'alice', note: 'checked against the docs' });
    expect(outcome.record).toMatchObject({ decision: 'approve', reviewer: 'alice', via: 'update', group: 'support' });
    const result: AnswerResult = await handle.result();
    expect(result.status).toBe('answered');
    expect(result.answer).toBe(view.draft);
    expect(result.review).toMatchObject({ decision: 'approve', reviewer: 'alice', note: 'checked against the docs' });
    expect((await handle.describe()).searchAttributes[sluiceSearchAttributes.status.name]).toEqual(['answered']);
  });

  it("maps a waiting run's stack trace (the UI's stack view) to the workflows' TypeScript lines", async () => {
    const handle = await start('stack-trace');
    await waitForPendingReview(handle);
    // The worker's bundle drops its sources' text and escapes wide characters (workers/slim-workflow-bundle.cjs);
    // its source map must still place each frame on the line that runs.
    const stack = await handle.query<string>('__stack_trace');
    const frames = [...stack.matchAll(/\/(workflows\/[\w/-]+\.ts):(\d+):\d+\)/g)];
    expect(frames.map(([, file]) => file)).toEqual(expect.arrayContaining(['workflows/review-desk.ts']));
    for (const [, file, line] of frames) {
      const source = readFileSync(join(__dirname, '..', '..', file!), 'utf8').split('\n')[Number(line) - 1];
      expect(source).toMatch(/await|condition|=>|return/);
    }
    // The enhanced query (the UI's) still answers, naming files and lines; the sources' text is not shipped.
    type EnhancedStackTrace = { stacks: { locations: { file_path?: string }[] }[] };
    const enhanced = await handle.query<EnhancedStackTrace>('__enhanced_stack_trace');
    expect(enhanced.stacks.flatMap((entry) => entry.locations.map((location) => location.file_path)))
      .toEqual(expect.arrayContaining([join(__dirname, '..', '..', 'workflows', 'review-desk.ts')]));
    await decide(handle, { decision: 'approve', reviewer: 'alice' });
    await handle.result();
  });

  it('refuses decisions it must not take, each with a reason, and stays pending', async () => {
    const handle = await start('refusals');
    await waitForPendingReview(handle);
    expect(await refusal(decide(handle, { decision: 'approve', reviewer: 'dave' })))
      .toBe('a requester may not decide their own request');
    expect(await refusal(decide(handle, { decision: 'approve', reviewer: 'eve' })))
      .toBe('reviewer eve is not in the reviewer group support');
    expect(await refusal(decide(handle, { decision: 'reject', reviewer: 'alice' })))
      .toMatch(/^invalid decision: reason/);
    expect(await refusal(decide(handle, { decision: 'maybe', reviewer: 'alice' })))
      .toMatch(/^invalid decision: decision/);
    expect((await waitForPendingReview(handle)).state).toBe('pending');

    await decide(handle, { decision: 'reject', reviewer: 'bob', reason: 'cites the wrong release' });
    const result: AnswerResult = await handle.result();
    expect(result).toMatchObject({ status: 'rejected', answer: rejectedAnswer, citations: [] });
    expect(result.review).toMatchObject({ decision: 'reject', reviewer: 'bob', reason: 'cites the wrong release' });
    // Refused updates never reached history: only the accepted one is there.
    const history = await handle.fetchHistory();
    const accepted = (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(1);
  });

  it('releases an edit that passes the output gates, and stops one that leaks PII', async () => {
    const handle = await start('edit');
    await waitForPendingReview(handle);
    const leak = await refusal(decide(handle, {
      decision: 'edit', reviewer: 'alice', text: 'Ask jane.roe@example.org or call +1 415 555 0199 [1].',
    }));
    expect(leak).toMatch(/^edit refused by the output gates: pii-leak/);
    expect(leak).not.toContain('jane.roe@example.org');
    expect((await waitForPendingReview(handle)).state).toBe('pending');

    const text = 'The workflow resumes on another worker, which replays the history [1].';
    const outcome = await decide(handle, { decision: 'edit', reviewer: 'bob', text, note: 'shorter' });
    expect(outcome.record).toMatchObject({ decision: 'edit', reviewer: 'bob', refusedEdits: 1 });
    const result: AnswerResult = await handle.result();
    expect(result.status).toBe('answered');
    expect(result.answer).toBe(text);
    expect(result.citations.map((citation) => citation.marker)).toEqual([1]);
  });

  it('takes exactly one of two racing decisions', async () => {
    const handle = await start('race');
    await waitForPendingReview(handle);
    const settled = await Promise.allSettled([
      decide(handle, { decision: 'approve', reviewer: 'alice' }),
      decide(handle, { decision: 'reject', reviewer: 'bob', reason: 'too long' }),
    ]);
    const accepted = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(accepted).toHaveLength(1);
    const refused = settled.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    // Refused by the validator, or by the server once the run has finished.
    expect(String(refused.reason.cause?.message ?? refused.reason.message))
      .toMatch(/already decided|being applied|completed|aborted by closing workflow|not found/i);
    const result: AnswerResult = await handle.result();
    expect(result.review?.reviewer).toBe(accepted[0]!.record.reviewer);
  });

  it('refuses through the client, in one line, a decision on a finished or unknown run', async () => {
    const handle = await start('client-refusals');
    await waitForPendingReview(handle);
    await decideReview(stack.env.client, handle.workflowId, { decision: 'approve', reviewer: 'alice' });
    await handle.result();
    await expect(decideReview(stack.env.client, handle.workflowId, { decision: 'approve', reviewer: 'bob' }))
      .rejects.toThrow(new ReviewRefusedError(`${handle.workflowId} has finished (completed); it takes no decision`));
    await expect(decideReview(stack.env.client, 'answer~acme~nope', { decision: 'approve', reviewer: 'bob' }))
      .rejects.toThrow(new UnknownRunError('no run has the workflow id answer~acme~nope'));
    await expect(decideReview(stack.env.client, handle.workflowId, { decision: 'approve', reviewer: 'bob', extra: 1 }))
      .rejects.toThrow(InvalidRequestError);
  });

  it('takes the same decisions as signals, ignoring refused ones', async () => {
    const handle = await start('signals');
    await waitForPendingReview(handle);
    await handle.signal(messageNames.reviewDecisionSignal, { decision: 'approve', reviewer: 'mallory' });
    await handle.signal(messageNames.reviewDecisionSignal, { decision: 'approve', reviewer: 'dave' });
    expect((await waitForPendingReview(handle)).state).toBe('pending');
    await handle.signal(messageNames.reviewDecisionSignal, {
      decision: 'reject', reviewer: 'alice', reason: 'off topic',
    });
    const result: AnswerResult = await handle.result();
    expect(result.status).toBe('rejected');
    expect(result.review).toMatchObject({ decision: 'reject', reviewer: 'alice', via: 'signal' });
  });

  it('refuses a decision on a run that is not waiting for review', async () => {
    const handle = await start('not-flagged', { route: 'default' });
    const result: AnswerResult = await handle.result();
    expect(result.review).toBeUndefined();
    expect(result.pinned).toMatchObject({
      promptId: 'grounded-answer', promptVersion: 'grounded-v1', variant: 'default',
    });
    // A finished run takes no update at all; the server says so.
    await expect(decide(handle, { decision: 'approve', reviewer: 'alice' })).rejects.toThrow();
  });
});
