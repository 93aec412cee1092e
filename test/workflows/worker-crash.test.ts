import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AnswerResult } from '../../contracts/answer';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { freshDataDir, startTestServer, startWorker } from '../helpers/temporal-env';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';

// Proves that work held by a worker that dies is finished by another process, on the same run.
// The first worker's store search hangs for ever, so only its death lets the answer finish:
// if it stayed alive it would keep polling and show up after the kill (it owns the workflow's
// sticky queue, and it could take the retry itself and hang again), which the checks refuse.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const root = join(__dirname, '..', '..');

interface WorkerProcess {
  child: ChildProcess;
  identity: string;
  /** Every line it printed on stdout, e.g. `retrieval-started 1`. */
  lines: string[];
}

/** Starts test/helpers/crashable-worker.ts and resolves once it polls, with its worker identity. */
function startWorkerProcess(env: TestWorkflowEnvironment, dataDir: string, hang: boolean): Promise<WorkerProcess> {
  const script = join(root, 'test', 'helpers', 'crashable-worker.ts');
  // node itself, with tsx as a loader, so SIGKILL hits the worker and not a wrapper process.
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env, SLUICE_TEMPORAL_ADDRESS: env.address, SLUICE_DATA_DIR: dataDir, RETRIEVAL_HANG: hang ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        if (line.startsWith('ready ')) resolve({ child, identity: line.slice('ready '.length), lines });
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited early with code ${code}`)));
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

const isRetrievalScheduled = (event: HistoryEvent): boolean =>
  event.activityTaskScheduledEventAttributes?.activityType?.name === 'retrieveContext';

/** The ActivityTaskStarted event of a scheduled activity (written for its last attempt only). */
function startedEvent(events: HistoryEvent[], scheduled: HistoryEvent): HistoryEvent | undefined {
  const scheduledId = scheduled.eventId?.toString();
  return events.find((event) => event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduledId);
}

const retrievalStarts = (worker: WorkerProcess): string[] =>
  worker.lines.filter((line) => line.startsWith('retrieval-started'));

/** The worker identity an event records, for the events a worker (not a client) writes. */
function workerIdentity(event: HistoryEvent): string | undefined {
  return (event.workflowTaskStartedEventAttributes?.identity ?? event.workflowTaskCompletedEventAttributes?.identity
    ?? event.activityTaskStartedEventAttributes?.identity ?? event.activityTaskCompletedEventAttributes?.identity
    ?? event.activityTaskFailedEventAttributes?.identity) || undefined;
}

describe('a worker killed mid-answer', () => {
  let env: TestWorkflowEnvironment;
  let answerRun: WorkflowHandle | undefined;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    env = await startTestServer();
  });

  afterAll(async () => {
    children.forEach((child) => child.kill('SIGKILL'));
    // A failed run is still open; ending it settles the pending result() before the connection closes.
    await answerRun?.terminate().catch(() => undefined);
    await env?.teardown();
  });

  it('loses its retrieval to a new worker process, which completes the same run', async () => {
    const dataDir = freshDataDir();
    // Ingest with an in-process worker, then close it so only the child processes poll.
    const dependencies = await openEmbeddedDefaults(dataDir);
    const ingestWorker: Worker = await startWorker(env, dependencies);
    await ingestWorker.runUntil(
      env.client.workflow.execute(workflowTypes.ingest, {
        taskQueue: taskQueues.orchestration, workflowId: 'ingest-acme-crash',
        args: [{ tenant: 'acme', ingestId: 'crash', path: join(root, 'examples', 'corpus') }],
      }),
    );
    await dependencies.store.close();

    // The only worker polling: it takes the answer's retrieval and hangs in it for ever.
    const first = await startWorkerProcess(env, dataDir, true);
    children.push(first.child);
    const handle = await env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: 'answer-acme-crash',
      args: [{ tenant: 'acme', requestId: 'crash', question: 'What happens when a worker process crashes?' }],
    });
    answerRun = handle;
    await waitFor(() => first.lines.includes('retrieval-started 1'), 'first worker starts the retrieval');
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    const held = pending.find((activity) => activity.activityType?.name === 'retrieveContext');
    expect(held?.lastWorkerIdentity).toBe(first.identity);
    expect(held?.attempt).toBe(1);

    const killedAt = Date.now();
    const firstExited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await firstExited;
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await startWorkerProcess(env, dataDir, false);
    children.push(second.child);
    const scheduled = ((await handle.fetchHistory()).events ?? []).find(isRetrievalScheduled);
    const options = scheduled!.activityTaskScheduledEventAttributes!;
    const startToCloseMs = tsToMs(options.startToCloseTimeout);
    const heartbeatMs = options.heartbeatTimeout ? tsToMs(options.heartbeatTimeout) : 0;
    const retryIntervalMs = tsToMs(options.retryPolicy?.initialInterval);
    // The server can only notice the lost attempt when a timeout of the attempt fires.
    const lossNoticedWithinMs = heartbeatMs > 0 ? heartbeatMs : startToCloseMs;
    // The next attempt must go to the new process: a live first worker could take it and hang again.
    const attempts = () => retrievalStarts(first).length + retrievalStarts(second).length;
    await waitFor(() => attempts() > 1, 'a second retrieval attempt starts', lossNoticedWithinMs + 10_000);
    expect(retrievalStarts(first)).toEqual(['retrieval-started 1']);
    expect(retrievalStarts(second)).toEqual(['retrieval-started 2']);
    const result = (await withDeadline(handle.result(), 20_000, 'the answer completes')) as AnswerResult;
    expect(result.status).toBe('answered');
    expect(result.citations[0]?.source).toBe('durability.md');
    expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);

    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter(isRetrievalScheduled)).toHaveLength(1);
    const started = startedEvent(events, scheduled!);
    const attempt = started!.activityTaskStartedEventAttributes!;
    // Attempt 1 was lost with its worker (it timed out; no worker failed it); attempt 2 ran on the new process.
    expect(attempt.attempt).toBe(2);
    expect(attempt.identity).toBe(second.identity);
    expect(attempt.lastFailure?.timeoutFailureInfo).toBeTruthy();

    // After the kill every workflow and activity task ran on the new worker and none on the killed one.
    const afterKill = events.filter((event) => tsToMs(event.eventTime) >= killedAt);
    const identities = new Set(afterKill.map(workerIdentity).filter((identity) => identity !== undefined));
    expect([...identities]).toEqual([second.identity]);

    // Recovery came from the attempt's own timeout after the kill, not from the hang ending: attempt 2
    // started within that timeout (plus the retry interval and dispatch) of the kill. The answer's search
    // heartbeats under a heartbeat timeout shorter than start-to-close, so a kill is noticed (and the
    // retry runs elsewhere) before start-to-close could have fired.
    const recoveryMs = tsToMs(started!.eventTime) - killedAt;
    expect(recoveryMs).toBeGreaterThan(0);
    expect(recoveryMs).toBeLessThan(lossNoticedWithinMs + retryIntervalMs + 3_000);
    expect(heartbeatMs).toBeGreaterThan(0);
    expect(heartbeatMs).toBeLessThan(startToCloseMs);
    expect(recoveryMs).toBeLessThan(startToCloseMs);
    const timeouts = `start-to-close ${startToCloseMs} ms, heartbeat ${heartbeatMs || 'none'}`;
    process.stdout.write(`worker-crash: attempt 2 started ${recoveryMs} ms after the kill; ${timeouts}\n`);
  });
});
