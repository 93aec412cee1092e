import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { join } from 'node:path';
import type { VectorStore } from '../../activities/retrieval/vector-store';
import type { AnswerResult } from '../../contracts/answer';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { startDevServer, type RunningDevServer } from '../../workers/dev-server-process';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';
import { freePort } from '../../workers/free-port';
import { freshDataDir, installQuietRuntime } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';

// What `npm start` relies on: the dev server persists to SQLite under the data folder, so a run
// that was half done when the server crashed (kill -9: no shutdown, no flush) goes on after the
// next start from where it was. The worker survives the crash, as workers on other hosts would.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Holds store searches until released, so the test knows the run is inside its retrieval activity. */
function gateSearches(store: VectorStore) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered: () => void = () => undefined;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let calls = 0;
  const search: VectorStore['search'] = async (query) => {
    calls += 1;
    entered();
    await released;
    return store.search(query);
  };
  const gated: VectorStore = Object.assign(Object.create(store) as VectorStore, { search });
  return { store: gated, inside, release: () => release(), calls: () => calls };
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Local activities (the gates) are recorded as markers whose data names the activity type. */
function localActivityType(event: HistoryEvent): string | undefined {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type;
}

const scheduledType = (event: HistoryEvent): string | undefined =>
  event.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
const summary = (event: HistoryEvent) => ({
  id: Number(event.eventId), type: event.eventType, at: tsToMs(event.eventTime),
});

async function historyOf(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

describe('the dev server as npm start runs it', () => {
  let server: RunningDevServer | undefined;
  // Run last-in first-out even when the test fails half way, so no worker polls a stopped server.
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await server?.stop();
  });

  it('finishes a run from where it was after kill -9 of the server mid-retrieval', async () => {
    installQuietRuntime();
    const dataDir = freshDataDir();
    const options = { port: await freePort(), uiPort: null, dbFilename: join(dataDir, 'temporal.db') } as const;
    server = await startDevServer(options);
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => nativeConnection.close());
    const dependencies = await openEmbeddedDefaults(dataDir);
    cleanups.push(() => dependencies.store.close());
    const gate = gateSearches(dependencies.store);
    const worker = await createOrchestrationWorker({
      connection: nativeConnection, namespace: 'default', dependencies: { ...dependencies, store: gate.store },
      workflowBundle: { codePath: workflowBundlePath },
    });
    const running = worker.run();
    cleanups.push(async () => {
      gate.release();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    let connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    let client = new Client({ connection });
    await client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: 'ingest-acme-restart',
      args: [{ tenant: 'acme', ingestId: 'restart', path: join(__dirname, '..', '..', 'examples', 'corpus') }],
    });
    const started = await client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: 'answer-acme-restart',
      args: [{ tenant: 'acme', requestId: 'restart', question: 'What happens when a worker process crashes?' }],
    });
    // Input gates have run; retrieval has started and is held: the run is half done.
    await withDeadline(gate.inside, 30_000, 'the answer reaches retrieval');
    const beforeKill = await historyOf(started);
    expect(beforeKill.filter((event) => localActivityType(event) === 'runInputGates')).toHaveLength(1);
    expect(beforeKill.some((event) => scheduledType(event) === 'retrieveContext')).toBe(true);
    expect(beforeKill.some((event) => event.workflowExecutionCompletedEventAttributes)).toBe(false);

    const killedPid = server.process.pid;
    const killedAt = Date.now();
    await server.kill();
    expect(server.process.signalCode).toBe('SIGKILL');
    await connection.close();

    server = await startDevServer(options);
    const restartedAt = Date.now();
    expect(server.process.pid).not.toBe(killedPid);
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    const handle = client.workflow.getHandle(started.workflowId);
    gate.release();
    const result = (
      await withDeadline(handle.result(), 30_000, 'the answer completes after the restart')
    ) as AnswerResult;
    expect(result.status).toBe('answered');
    expect(result.citations[0]?.source).toBe('durability.md');
    expect((await handle.describe()).runId).toBe(started.firstExecutionRunId);

    // The restarted server holds the same history up to the kill, and the run went on from there.
    const events = await historyOf(handle);
    expect(events.slice(0, beforeKill.length).map(summary)).toEqual(beforeKill.map(summary));
    const inputGates = events.filter((event) => localActivityType(event) === 'runInputGates');
    expect(inputGates).toHaveLength(1);
    expect(tsToMs(inputGates[0]!.eventTime)).toBeLessThan(killedAt);
    // Retrieval spanned the crash: scheduled and started before it, completed after, on its first attempt,
    // and the store was searched once; nothing before it ran again.
    const retrievals = events.filter((event) => scheduledType(event) === 'retrieveContext');
    expect(retrievals).toHaveLength(1);
    const scheduledId = retrievals[0]!.eventId?.toString();
    const retrievalStarted = events.find((event) =>
      event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduledId);
    const retrievalCompleted = events.find((event) =>
      event.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === scheduledId);
    expect(tsToMs(retrievals[0]!.eventTime)).toBeLessThan(killedAt);
    expect(retrievalStarted?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    expect(tsToMs(retrievalStarted?.eventTime)).toBeLessThan(killedAt);
    expect(tsToMs(retrievalCompleted?.eventTime)).toBeGreaterThanOrEqual(restartedAt);
    expect(gate.calls()).toBe(1);
    const localActivities = events.map(localActivityType).filter((type) => type !== undefined);
    expect(localActivities).toEqual([...new Set(localActivities)]);

    const completedAt = tsToMs(events.at(-1)?.eventTime);
    const finishedAfter = completedAt - restartedAt;
    process.stdout.write(
      `server-restart: down ${restartedAt - killedAt} ms; finished ${finishedAfter} ms after the restart\n`,
    );
  });
});
