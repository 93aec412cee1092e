import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { storeLockFileName } from '../../activities/retrieval/store-lock';
import type { IngestResult } from '../../contracts/ingest';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';
import { freshDataDir } from '../helpers/temporal-env';
import {
  runPool, sampleCorpus, sampleQuestions, selfCheck, validAnswer, waitFor, within, withDeadline, writeGeneratedCorpus,
} from './load-helpers';
import { startQuietServer, startWorkerProcess, type QuietServer, type WorkerProcess } from './processes';
import { reconcile, settleOpenWaits, storedPoints } from './server-record';

// kill -9 of the only orchestration worker while 100 answers and a 300-document ingest are in
// flight, then a new worker process on the same data folder. Nothing may be lost, stuck or done
// twice: every answer completes once with a valid result, and the killed ingest leaves the store
// exactly as a clean ingest of the same documents does (same chunks, no duplicate point ids).
//
// Self-checks (each must make this test fail, with the message given):
//   SLUICE_FAULTS_SELF_CHECK=no-restart  no new worker after the kill:
//                                        "all 100 answers complete after the kill: not within …"
//   SLUICE_FAULTS_SELF_CHECK=duplicate   a second run of one answer id: the duplicate check lists it

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const answerCount = 100;
const documentCount = 300;
const answerTenants = ['wk-a', 'wk-b', 'wk-c'] as const;
/** Tenant whose ingest is killed half way, and the one that ingests the same files without a kill. */
const killedTenant = 'wk-killed';
const cleanTenant = 'wk-clean';
/** ingestWorkflow fans out above 200 files, 100 files per child (workflows/ingest-run.ts). */
const childIds = (parentId: string): string[] => [0, 100, 200].map((first) => `${parentId}-files-${first}`);

/** The worker identity an event records, for the events a worker (not a client) writes. */
function workerIdentity(event: HistoryEvent): string | undefined {
  return (event.workflowTaskStartedEventAttributes?.identity ?? event.workflowTaskCompletedEventAttributes?.identity
    ?? event.activityTaskStartedEventAttributes?.identity ?? event.activityTaskCompletedEventAttributes?.identity
    ?? event.activityTaskFailedEventAttributes?.identity) || undefined;
}

/** The pid in the embedded store's lock file (one process holds the store at a time), if there is one. */
function storeLockPid(dataDir: string): number | undefined {
  const path = join(dataDir, 'vectors', storeLockFileName);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid : undefined;
}

describe('the orchestration worker killed with kill -9 under load', () => {
  let env: QuietServer;
  const dataDir = freshDataDir();
  const workers: WorkerProcess[] = [];
  // What a failed run of this test leaves open, for afterAll to settle before the connection closes.
  const startedIds: string[] = [];
  const waits: Array<Promise<unknown>> = [];

  beforeAll(async () => {
    env = await startQuietServer();
  });

  afterAll(async () => {
    if (env) await settleOpenWaits(env.client, startedIds, waits);
    await Promise.all(workers.map((worker) => worker.kill().catch(() => undefined)));
    await env?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing: every answer and the ingest complete once, and the store matches a clean ingest', async () => {
    const { client, connection } = env;
    const documents = join(dataDir, 'documents');
    writeGeneratedCorpus(documents, documentCount);
    const workerOptions = { address: env.address, dataDir, ingestRoots: [sampleCorpus, documents] };
    const first = await startWorkerProcess(workerOptions);
    workers.push(first);
    const ingest = (tenant: string, ingestId: string, path: string) =>
      client.workflow.start(workflowTypes.ingest, {
        taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest(tenant, ingestId),
        args: [{ tenant, ingestId, path }],
      });
    const corpusIngests = await Promise.all(answerTenants.map((tenant) => ingest(tenant, 'corpus', sampleCorpus)));
    await within(connection, 60_000, 'the sample corpus is ingested', () =>
      Promise.all(corpusIngests.map((handle) => handle.result())));

    // The load: a 300-document ingest, and once it is under way 100 answers over three tenants beside it.
    const killedIngest = await ingest(killedTenant, 'bulk', documents);
    startedIds.push(killedIngest.workflowId);
    await waitFor(() => first.upserted(killedTenant) >= 30, 'the ingest is under way', 120_000);
    const answerIds = Array.from({ length: answerCount }, (_, index) =>
      workflowIds.answer(answerTenants[index % answerTenants.length]!, `r${index}`));
    startedIds.push(...answerIds);
    const handles: WorkflowHandleWithFirstExecutionRunId[] = await runPool(answerCount, 16, (index) =>
      client.workflow.start(workflowTypes.answer, {
        taskQueue: taskQueues.orchestration, workflowId: answerIds[index]!,
        args: [{
          tenant: answerTenants[index % answerTenants.length], requestId: `r${index}`,
          question: sampleQuestions[index % sampleQuestions.length],
        }],
      }));
    let completed = 0;
    // The gRPC deadline only ends the long polls; the waits below have their own, shorter ones.
    const results = handles.map(async (handle) => {
      const result = await connection.withDeadline(Date.now() + 8 * 60_000, () => handle.result());
      completed += 1;
      return result;
    });
    // A failed result fails the test at the deadline below; don't let it be reported as unhandled first.
    results.forEach((result) => result.catch(() => undefined));
    waits.push(...results);

    // Answers complete in a burst: kill as soon as the first few are in, most still in flight.
    await waitFor(() => completed >= 5, 'the first answers complete', 120_000, () => `${completed} answers`);
    const completedAtKill = completed;
    const chunksAtKill = first.upserted(killedTenant);
    const killedAt = Date.now();
    await first.kill();
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(completedAtKill).toBeLessThan(answerCount);
    // Read after the kill: the ingest had not finished when its worker died.
    expect((await killedIngest.describe()).status.name).toBe('RUNNING');

    // The new process takes over the data folder, and the killed one's lock on the store with it.
    expect(storeLockPid(dataDir)).toBe(first.pid);
    const second = selfCheck() === 'no-restart' ? undefined : await startWorkerProcess(workerOptions);
    if (second) workers.push(second);
    if (second) expect(storeLockPid(dataDir)).toBe(second.pid);
    const cleanIngest = await ingest(cleanTenant, 'bulk', documents);
    startedIds.push(cleanIngest.workflowId);
    // The waits began before the kill (under their own gRPC deadline); this bounds waiting for them.
    const allAnswered = `all ${answerCount} answers complete after the kill`;
    const answers = await withDeadline(Promise.all(results), 150_000, allAnswered).catch((error: unknown) => {
      throw new Error(`${(error as Error).message} (${completed} had, ${completedAtKill} before the kill)`);
    });
    const answersDoneAt = Date.now();
    answers.forEach((result, index) => validAnswer(result, answerIds[index]!));
    // A killed ingest attempt is noticed by its heartbeat timeout (1 minute), so this takes longer.
    const [killedResult, cleanResult] = (await within(connection, 240_000, 'both ingests complete', () =>
      Promise.all([killedIngest.result(), cleanIngest.result()]))) as [IngestResult, IngestResult];
    const finishedAt = Date.now();
    for (const result of [killedResult, cleanResult]) {
      expect(result.ingestedDocuments).toBe(documentCount);
      expect(result.skippedDocuments).toBe(0);
    }
    expect(killedResult.chunks).toBe(cleanResult.chunks);

    if (selfCheck() === 'duplicate') {
      const duplicate = await client.workflow.start(workflowTypes.answer, {
        taskQueue: taskQueues.orchestration, workflowId: answerIds[0]!,
        args: [{ tenant: answerTenants[0], requestId: 'r0', question: sampleQuestions[0] }],
      });
      await within(connection, 60_000, 'the deliberate duplicate completes', () => duplicate.result());
    }

    // The server's record: one execution per id, none open, none the client did not start.
    const answerRecord = await reconcile(client, `WorkflowType = '${workflowTypes.answer}'`, answerIds, 60_000);
    expect(answerRecord.duplicated).toEqual([]);
    expect(answerRecord.missing).toEqual([]);
    expect(answerRecord.unexpected).toEqual([]);
    expect(answerRecord.running).toEqual([]);
    expect([answerRecord.count, answerRecord.runningCount]).toEqual([answerCount, 0]);
    const ingestIds = [
      ...corpusIngests.map((handle) => handle.workflowId),
      killedIngest.workflowId, ...childIds(killedIngest.workflowId),
      cleanIngest.workflowId, ...childIds(cleanIngest.workflowId),
    ];
    const ingestQuery = `WorkflowType IN ('${workflowTypes.ingest}', '${workflowTypes.ingestBatch}')`;
    const ingestRecord = await reconcile(client, ingestQuery, ingestIds, 60_000);
    expect(ingestRecord.duplicated).toEqual([]);
    expect(ingestRecord.missing).toEqual([]);
    expect(ingestRecord.unexpected).toEqual([]);
    expect(ingestRecord.running).toEqual([]);
    expect(ingestRecord.executions.every((execution) => execution.status === 'COMPLETED')).toBe(true);
    // Each run the client started is the one that completed (no second run under the same id).
    for (const handle of [...handles, killedIngest]) {
      expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
    }

    // The kill hit work in flight: runs that the killed worker had begun were finished by the new one.
    const identities = async (workflowId: string) => new Set(
      ((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
        .map(workerIdentity).filter((identity) => identity !== undefined),
    );
    const spanningKill = async (ids: readonly string[]) => (await runPool(ids.length, 8, async (index) => {
      const seen = await identities(ids[index]!);
      return seen.has(first.identity) && seen.has(second!.identity);
    })).filter(Boolean).length;
    const answersSpanningKill = await spanningKill(answerIds);
    const ingestsSpanningKill = await spanningKill([killedIngest.workflowId, ...childIds(killedIngest.workflowId)]);
    expect(answersSpanningKill).toBeGreaterThan(0);
    expect(ingestsSpanningKill).toBeGreaterThan(0);

    // The store: the killed ingest left exactly the points a clean ingest of the same files leaves.
    await second!.stop();
    expect(storeLockPid(dataDir)).toBeUndefined();
    const dependencies = await openEmbeddedDefaults(dataDir, { SLUICE_EMBEDDER: 'hashing' });
    const counts = {
      killed: await dependencies.store.count(killedTenant), clean: await dependencies.store.count(cleanTenant),
    };
    await dependencies.store.close();
    expect(counts.killed).toBe(counts.clean);
    expect(counts.killed).toBe(cleanResult.chunks);
    const killedPoints = await storedPoints(dataDir, killedTenant);
    const cleanPoints = await storedPoints(dataDir, cleanTenant);
    expect(new Set(killedPoints.map((point) => point.id)).size).toBe(killedPoints.length);
    const layout = (points: typeof killedPoints) =>
      points.map((point) => `${point.documentId}#${point.chunkIndex}`).sort();
    expect(layout(killedPoints)).toEqual(layout(cleanPoints));

    process.stdout.write(
      `worker-kill-under-load: killed with ${completedAtKill}/${answerCount} answers done and ${chunksAtKill} ` +
        `chunks stored; ${answersSpanningKill} answers and ${ingestsSpanningKill} ingest runs spanned the kill; ` +
        `answers done ${answersDoneAt - killedAt} ms after it, ingests ${finishedAt - killedAt} ms; ` +
        `${counts.killed} points\n`,
    );
  }, 9 * 60_000);
});
