import { rmSync } from 'node:fs';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { freshDataDir } from '../helpers/temporal-env';
import {
  ingestSampleCorpus, runPool, sampleCorpus, sampleQuestions, selfCheck, validAnswer, within,
} from './load-helpers';
import { startQuietServer, startWorkerProcess, type QuietServer, type WorkerProcess } from './processes';
import { reconcile } from './server-record';

// 1,000 answers at concurrency 64 (64 async loops, each starting a run and waiting for its result)
// against one orchestration worker process. None lost (every result valid), none stuck (no run
// open afterwards), none duplicated (one execution per id), reconciled against the server's
// visibility rather than the client's own bookkeeping. Time is reported, never asserted.
//
// Self-check: SLUICE_FAULTS_SELF_CHECK=duplicate starts a second run of one id after the load; the
// duplicate check must fail, naming that id with 2 executions.

const answerCount = 1_000;
const concurrency = 64;
const tenants = ['ld-a', 'ld-b', 'ld-c', 'ld-d'] as const;

describe('answers under load', () => {
  const dataDir = freshDataDir();
  let env: QuietServer | undefined;
  let worker: WorkerProcess | undefined;

  afterAll(async () => {
    await worker?.stop().catch(() => undefined);
    await env?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`completes ${answerCount} answers at concurrency ${concurrency}: none lost, stuck or duplicated`, async () => {
    env = await startQuietServer();
    const { client, connection } = env;
    worker = await startWorkerProcess({ address: env.address, dataDir, ingestRoots: [sampleCorpus] });
    await ingestSampleCorpus(client, connection, tenants);

    const answerIds = Array.from({ length: answerCount }, (_, index) =>
      workflowIds.answer(tenants[index % tenants.length]!, `r${index}`));
    const firstRunIds = new Map<string, string>();
    const latenciesMs: number[] = [];
    const startedAt = Date.now();
    // Generous: about 4 answers a second on a busy 2-core machine gives ~4 minutes.
    await within(connection, 12 * 60_000, `${answerCount} answers at concurrency ${concurrency}`, () =>
      runPool(answerCount, concurrency, async (index) => {
        const workflowId = answerIds[index]!;
        const began = Date.now();
        const handle = await client.workflow.start(workflowTypes.answer, {
          taskQueue: taskQueues.orchestration, workflowId,
          args: [{
            tenant: tenants[index % tenants.length], requestId: `r${index}`,
            question: sampleQuestions[index % sampleQuestions.length],
          }],
        });
        firstRunIds.set(workflowId, handle.firstExecutionRunId);
        validAnswer(await handle.result(), workflowId);
        latenciesMs.push(Date.now() - began);
      }));
    const elapsedMs = Date.now() - startedAt;

    if (selfCheck() === 'duplicate') {
      await within(connection, 60_000, 'the deliberate duplicate completes', () =>
        client.workflow.execute(workflowTypes.answer, {
          taskQueue: taskQueues.orchestration, workflowId: answerIds[0]!,
          args: [{ tenant: tenants[0], requestId: 'r0', question: sampleQuestions[0] }],
        }));
    }

    const record = await reconcile(client, `WorkflowType = '${workflowTypes.answer}'`, answerIds, 120_000);
    expect(record.missing).toEqual([]);
    expect(record.duplicated).toEqual([]);
    expect(record.unexpected).toEqual([]);
    expect(record.running).toEqual([]);
    // The server's own counts agree: every run closed, completed, and no more runs than ids.
    expect([record.count, record.runningCount]).toEqual([answerCount, 0]);
    const completedCount = Number(
      (await client.workflow.count(`WorkflowType = '${workflowTypes.answer}' AND ExecutionStatus = 'Completed'`)).count,
    );
    expect(completedCount).toBe(answerCount);
    // And each listed run is the one its client started.
    expect(record.executions.filter((execution) => firstRunIds.get(execution.workflowId) !== execution.runId))
      .toEqual([]);

    latenciesMs.sort((a, b) => a - b);
    const percentile = (fraction: number) => latenciesMs[Math.min(latenciesMs.length - 1,
      Math.ceil(fraction * latenciesMs.length) - 1)];
    process.stdout.write(
      `load: ${answerCount} answers at concurrency ${concurrency} in ${elapsedMs} ms ` +
        `(${(answerCount / (elapsedMs / 1000)).toFixed(1)}/s); latency p50 ${percentile(0.5)} ms, ` +
        `p99 ${percentile(0.99)} ms\n`,
    );
  }, 15 * 60_000);
});
