import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer } from '../helpers/temporal-env';
import type { stallFixtureWorkflow } from './stall-fixture-workflow';

// workers/workflow-thread-guard.cjs against the real SDK and server: with SLUICE_WORKFLOW_STALL_GUARD=process
// workflows run without the SDK's per-call vm timeout, and workflow code that never returns ends the worker
// process (70) naming its run; with the default the SDK fails that workflow task and the worker lives on.

const root = join(__dirname, '..', '..');

interface StallWorker {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startStallWorker(env: TestWorkflowEnvironment, taskQueue: string, guard: Record<string, string>): Promise<StallWorker> {
  const child = spawn(process.execPath, [
    '--require', join(root, 'workers', 'workflow-thread-guard.cjs'), '--import', 'tsx', join(root, 'test', 'helpers', 'stall-worker.ts'),
  ], {
    env: { ...process.env, SLUICE_TEMPORAL_ADDRESS: env.address, STALL_TASK_QUEUE: taskQueue, ...guard },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve({ child, exited, stderr: () => stderr });
    });
    void exited.then((code) => reject(new Error(`stall worker exited early with ${code}: ${stderr}`)));
  });
}

describe('workflow thread guard on a real worker', () => {
  let env: TestWorkflowEnvironment;
  const workers: StallWorker[] = [];

  beforeAll(async () => {
    env = await startTestServer();
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await env?.teardown();
  });

  const start = (taskQueue: string, spin: number) => env.client.workflow.start<typeof stallFixtureWorkflow>(
    'stallFixtureWorkflow', { taskQueue, workflowId: `${taskQueue}-${spin}-${Date.now()}`, args: [spin] },
  );

  it('with "process": workflows run, and one that never returns ends the worker with 70 naming its run', async () => {
    const taskQueue = 'stall-guard-process';
    const worker = await startStallWorker(env, taskQueue, {
      SLUICE_WORKFLOW_STALL_GUARD: 'process', SLUICE_WORKFLOW_STALL_EXIT_MS: '3000',
    });
    workers.push(worker);
    // 1.5 s of workflow code: past the SDK's 1 s isolate timeout, which this mode no longer applies per call.
    await expect((await start(taskQueue, 1_500)).result()).resolves.toMatch(/^spun \d+$/);

    const looping = await start(taskQueue, -1);
    expect(await worker.exited).toBe(70);
    const fatal = JSON.parse(worker.stderr().trim().split('\n').at(-1)!);
    expect(fatal).toMatchObject({ level: 60, runId: looping.firstExecutionRunId, exitAfterMs: 3000 });
    await looping.terminate('test over');
  });

  it('by default the SDK fails the stuck workflow task and the worker keeps running', async () => {
    const taskQueue = 'stall-guard-call';
    const worker = await startStallWorker(env, taskQueue, {});
    workers.push(worker);
    const looping = await start(taskQueue, -1);
    let failure: string | undefined;
    for (const deadline = Date.now() + 30_000; failure === undefined && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const history = await looping.fetchHistory();
      failure = history.events?.find((event) => event.workflowTaskFailedEventAttributes)
        ?.workflowTaskFailedEventAttributes?.failure?.message ?? undefined;
    }
    expect(failure).toMatch(/Script execution timed out/);
    expect(worker.child.exitCode).toBeNull();
    await looping.terminate('test over');
  });
});
