import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AnswerResult } from '../../contracts/answer';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { freshDataDir, startTestServer, startWorker } from '../helpers/temporal-env';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';

const root = join(__dirname, '..', '..');


/** Starts a worker process and resolves once it polls. */
function startWorkerProcess(env: TestWorkflowEnvironment, dataDir: string, retrievalDelayMs: number): Promise<ChildProcess> {
  // node itself, with tsx as a loader, so SIGKILL hits the worker and not a wrapper process.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'helpers', 'crashable-worker.ts')], {
    env: { ...process.env, SLUICE_TEMPORAL_ADDRESS: env.address, SLUICE_DATA_DIR: dataDir, RETRIEVAL_DELAY_MS: String(retrievalDelayMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with code ${code}`)));
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a worker killed mid-answer', () => {
  let env: TestWorkflowEnvironment;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    env = await startTestServer();
  });

  afterAll(async () => {
    children.forEach((child) => child.kill('SIGKILL'));
    await env?.teardown();
  });

  it('is replaced by a new worker process that completes the same workflow', async () => {
    const dataDir = freshDataDir();
    // Ingest with an in-process worker, then close it so only the child processes poll.
    const dependencies = await openEmbeddedDefaults(dataDir);
    const ingestWorker: Worker = await startWorker(env, dependencies);
    await ingestWorker.runUntil(
      env.client.workflow.execute(workflowTypes.ingest, {
        taskQueue: taskQueues.orchestration, workflowId: 'ingest-acme-crash', args: [{ tenant: 'acme', ingestId: 'crash', path: join(root, 'examples', 'corpus') }],
      }),
    );
    await dependencies.store.close();

    const first = await startWorkerProcess(env, dataDir, 60_000);
    children.push(first);
    const handle = await env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: 'answer-acme-crash', args: [{ tenant: 'acme', requestId: 'crash', question: 'What happens when a worker process crashes?' }],
    });
    await waitFor(async () => (await handle.describe()).raw.pendingActivities?.some((activity) => activity.activityType?.name === 'retrieveContext' && activity.lastStartedTime) ?? false);
    first.kill('SIGKILL');

    const second = await startWorkerProcess(env, dataDir, 0);
    children.push(second);
    const result = (await handle.result()) as AnswerResult;
    expect(result.status).toBe('answered');
    expect(result.citations[0]?.source).toBe('durability.md');

    // The same execution finished, and its retrieval activity needed a second attempt.
    expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
    const history = await handle.fetchHistory();
    const started = (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes);
    expect(started.some((event) => Number(event.activityTaskStartedEventAttributes!.attempt) >= 2)).toBe(true);
  });
});
