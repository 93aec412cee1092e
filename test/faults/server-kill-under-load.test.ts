import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startDevServer, type RunningDevServer } from '../../workers/dev-server-process';
import { freshDataDir } from '../helpers/temporal-env';
import {
  ingestSampleCorpus, runPool, sampleCorpus, sampleQuestions, selfCheck, validAnswer, waitFor, withDeadline,
} from './load-helpers';
import { startQuietServer, startWorkerProcess, type QuietServer, type WorkerProcess } from './processes';
import { reconcile, resultAcrossOutage, settleOpenWaits, type OutageResult } from './server-record';

// kill -9 of the Temporal dev server (SQLite file, as `npm start` runs it) while 80 answers are in
// flight, then a restart on the same file and port. The worker process lives on, as workers on
// other hosts would. Every run resumes and completes once; every client waiting on result() gets
// the result, or an error it can classify as retryable and then the result by attaching again —
// never a hang (each wait has a deadline) and never a non-retryable error. Half the clients wait
// through a connection without the SDK's retries, so they do see the outage and must attach again.
//
// Self-check: SLUICE_FAULTS_SELF_CHECK=no-restart leaves the server down; the test must fail with
// "… answers complete after the restart: … deadline passed" (or "not within …").

const answerCount = 80;
const tenants = ['sk-a', 'sk-b'] as const;

describe('the Temporal dev server killed with kill -9 under load', () => {
  const dataDir = freshDataDir();
  let env: QuietServer | undefined;
  let server: RunningDevServer | undefined;
  let worker: WorkerProcess | undefined;
  let impatientConnection: Connection | undefined;
  // What a failed run of this test leaves open, for afterAll to settle before the connections close.
  const startedIds: string[] = [];
  const pendingWaits: Array<Promise<unknown>> = [];

  afterAll(async () => {
    if (env) await settleOpenWaits(env.client, startedIds, pendingWaits);
    await worker?.kill().catch(() => undefined);
    await impatientConnection?.close().catch(() => undefined);
    await env?.connection.close().catch(() => undefined);
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes every run after the restart; each waiting client gets its result, attaching again if told', async () => {
    const dbFilename = join(dataDir, 'temporal.db');
    env = await startQuietServer({ dbFilename });
    server = env.server;
    const { client, connection } = env;
    const port = Number(env.address.split(':').at(-1));
    worker = await startWorkerProcess({ address: env.address, dataDir, ingestRoots: [sampleCorpus] });
    await ingestSampleCorpus(client, connection, tenants);

    const answerIds = Array.from({ length: answerCount }, (_, index) =>
      workflowIds.answer(tenants[index % tenants.length]!, `r${index}`));
    startedIds.push(...answerIds);
    const handles: WorkflowHandleWithFirstExecutionRunId[] = await runPool(answerCount, 16, (index) =>
      client.workflow.start(workflowTypes.answer, {
        taskQueue: taskQueues.orchestration, workflowId: answerIds[index]!,
        args: [{
          tenant: tenants[index % tenants.length], requestId: `r${index}`,
          question: sampleQuestions[index % sampleQuestions.length],
        }],
      }));
    // No retry interceptor: every failed call reaches the caller, as with a client that does not retry.
    impatientConnection = await Connection.connect({ address: env.address, interceptors: [] });
    const impatient = new Client({ connection: impatientConnection });
    const waitsImpatiently = (index: number) => index % 2 === 1;
    let completed = 0;
    const deadline = Date.now() + 3 * 60_000;
    const waits: Array<Promise<OutageResult>> = handles.map(async (handle, index) => {
      const outcome = waitsImpatiently(index)
        ? await resultAcrossOutage(impatient, handle.workflowId, deadline)
        : await resultAcrossOutage(client, handle.workflowId, deadline, () => handle.result());
      completed += 1;
      return outcome;
    });
    // A failed wait fails the test below; don't let it be reported as unhandled first.
    waits.forEach((wait) => wait.catch(() => undefined));
    pendingWaits.push(...waits);

    // Kill once the first answers are in, most still in flight.
    await waitFor(() => completed >= 5, 'the first answers complete', 120_000, () => `${completed} answers`);
    const completedAtKill = completed;
    const killedPid = server.pid;
    const killedAt = Date.now();
    await server.kill();
    expect(server.process.signalCode).toBe('SIGKILL');
    expect(completedAtKill).toBeLessThan(answerCount);

    let restartedAt = Number.NaN;
    if (selfCheck() !== 'no-restart') {
      server = await startDevServer({ port, uiPort: null, dbFilename }, () => undefined);
      restartedAt = Date.now();
      expect(server.pid).not.toBe(killedPid);
    }
    const outcomes = await withDeadline(
      Promise.all(waits), deadline - Date.now() + 10_000, `all ${answerCount} answers complete after the restart`,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message} (${completed} had, ${completedAtKill} before the kill)`);
    });
    const doneAt = Date.now();
    outcomes.forEach((outcome, index) => validAnswer(outcome.result, answerIds[index]!));

    // The restarted server's record (from the SQLite file): one execution per id, all closed.
    const record = await reconcile(client, `WorkflowType = '${workflowTypes.answer}'`, answerIds, 60_000);
    expect(record.duplicated).toEqual([]);
    expect(record.missing).toEqual([]);
    expect(record.unexpected).toEqual([]);
    expect(record.running).toEqual([]);
    expect([record.count, record.runningCount]).toEqual([answerCount, 0]);
    for (const handle of handles) expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);

    // Runs were in flight across the crash: history written before the kill and after the restart.
    const spanning = (await runPool(answerCount, 8, async (index) => {
      const events = (await client.workflow.getHandle(answerIds[index]!).fetchHistory()).events ?? [];
      const times = events.map((event) => tsToMs(event.eventTime));
      return times.some((time) => time < killedAt) && times.some((time) => time >= restartedAt);
    })).filter(Boolean).length;
    expect(spanning).toBeGreaterThan(0);

    // The clients without retries saw the outage (as retryable errors) and got their results by attaching again.
    const retried = outcomes.filter((outcome) => outcome.retryableErrors.length > 0);
    expect(outcomes.filter((outcome, index) => waitsImpatiently(index) && outcome.retryableErrors.length > 0).length)
      .toBeGreaterThan(0);
    const errorKinds = [...new Set(retried.flatMap((outcome) => outcome.retryableErrors))];
    process.stdout.write(
      `server-kill-under-load: killed with ${completedAtKill}/${answerCount} answers done; server back ` +
        `${restartedAt - killedAt} ms later; all done ${doneAt - killedAt} ms after the kill; ${spanning} runs ` +
        `spanned the crash; ${retried.length} clients (${outcomes.filter((_, index) => waitsImpatiently(index))
          .filter((outcome) => outcome.retryableErrors.length > 0).length} without SDK retries) attached again ` +
        `after: ${errorKinds.slice(0, 3).join(' | ') || 'none'}\n`,
    );
  }, 8 * 60_000);
});
