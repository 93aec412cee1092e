import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer } from './temporal-env';

const root = join(__dirname, '..', '..');

/** A worker process started as the deployed ones are, with workers/workflow-thread-guard.cjs preloaded. */
export interface PreloadedWorker {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

/**
 * Starts test/helpers/stall-worker.ts (test/workflows/stall-fixture-workflow.ts on `taskQueue`) with the
 * preload and `settings` in its environment; resolves once it polls.
 */
function startPreloadedWorker(
  env: TestWorkflowEnvironment, taskQueue: string, settings: Record<string, string>,
): Promise<PreloadedWorker> {
  const child = spawn(process.execPath, [
    '--require', join(root, 'workers', 'workflow-thread-guard.cjs'),
    '--import', 'tsx', join(root, 'test', 'helpers', 'stall-worker.ts'),
  ], {
    env: {
      ...process.env, SLUICE_TEMPORAL_ADDRESS: env.address, STALL_TASK_QUEUE: taskQueue,
      SLUICE_WORKFLOW_STALL_GUARD: '', SLUICE_WORKFLOW_STACK_TRACES: '', ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve({ child, exited, stderr: () => stderr });
    });
    void exited.then((code) => reject(new Error(`worker exited early with ${code}: ${stderr}`)));
  });
}

/**
 * For a describe block: a test server for its tests (started before them, torn down after), a client on it,
 * and `startWorker`, whose processes are killed when the block ends.
 */
export function preloadedWorkerSuite(): {
  client: () => Client;
  startWorker: (taskQueue: string, settings?: Record<string, string>) => Promise<PreloadedWorker>;
} {
  let env: TestWorkflowEnvironment | undefined;
  const workers: PreloadedWorker[] = [];
  beforeAll(async () => {
    env = await startTestServer();
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await env?.teardown();
  });
  return {
    client: () => env!.client,
    startWorker: async (taskQueue, settings = {}) => {
      const worker = await startPreloadedWorker(env!, taskQueue, settings);
      workers.push(worker);
      return worker;
    },
  };
}
