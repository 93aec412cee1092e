import type { WorkflowHandle } from '@temporalio/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preloadedWorkerSuite } from '../helpers/preloaded-worker';
import type { stallFixtureWorkflow } from './stall-fixture-workflow';

// workers/workflow-thread-guard.cjs against the real SDK and server: by default (`process`) workflows run
// without the SDK's per-call vm timeout, and workflow code that never returns ends the worker process (70)
// naming its run; a worker started on the same data dir then gives that run the SDK's guard back, which fails
// the task and keeps the worker, as `call` does for every run.

describe('workflow thread guard on a real worker', () => {
  const suite = preloadedWorkerSuite();

  const start = (taskQueue: string, spin: number) => suite.client().workflow.start<typeof stallFixtureWorkflow>(
    'stallFixtureWorkflow', { taskQueue, workflowId: `${taskQueue}-${spin}-${Date.now()}`, args: [spin] },
  );

  /** The message of the run's first failed workflow task, once there is one. */
  async function taskFailure(handle: WorkflowHandle): Promise<string | undefined> {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const history = await handle.fetchHistory();
      const failure = history.events?.find((event) => event.workflowTaskFailedEventAttributes)
        ?.workflowTaskFailedEventAttributes?.failure?.message;
      if (failure) return failure;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return undefined;
  }

  it('by default: workflows run; one that never returns ends the worker with 70, and the next worker fails its task', async () => {
    const taskQueue = 'stall-guard-process';
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-stall-'));
    // A limit well above the 1.5 s spin below, so a slow machine does not end the worker on it.
    const guard = { SLUICE_WORKFLOW_STALL_EXIT_MS: '8000', SLUICE_DATA_DIR: dataDir };
    const worker = await suite.startWorker(taskQueue, guard);
    // 1.5 s of workflow code: past the SDK's 1 s isolate timeout, which this mode no longer applies per call.
    await expect((await start(taskQueue, 1_500)).result()).resolves.toMatch(/^spun \d+$/);

    const looping = await start(taskQueue, -1);
    expect(await worker.exited).toBe(70);
    const fatal = JSON.parse(worker.stderr().trim().split('\n').at(-1)!);
    expect(fatal).toMatchObject({ level: 60, runId: looping.firstExecutionRunId, exitAfterMs: 8000 });

    // The run's task comes back (after the server's timeouts) to a new worker on the same data dir, which fails it
    // with the SDK's per-call timeout, attempt after attempt, and lives on. (Failures after a timed-out task are
    // not written to history; the pending task's attempt counts them.)
    const next = await suite.startWorker(taskQueue, guard);
    const attempt = async () => (await looping.describe()).raw.pendingWorkflowTask?.attempt ?? 0;
    for (const deadline = Date.now() + 45_000; (await attempt()) < 3 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await attempt()).toBeGreaterThanOrEqual(3);
    expect(next.child.exitCode).toBeNull();
    await looping.terminate('test over');
  });

  it('with "call" the SDK fails the stuck workflow task and the worker keeps running', async () => {
    const taskQueue = 'stall-guard-call';
    const worker = await suite.startWorker(taskQueue, { SLUICE_WORKFLOW_STALL_GUARD: 'call' });
    const looping = await start(taskQueue, -1);
    expect(await taskFailure(looping)).toMatch(/Script execution timed out/);
    expect(worker.child.exitCode).toBeNull();
    await looping.terminate('test over');
  });
});
