import { preloadedWorkerSuite } from '../helpers/preloaded-worker';
import type { waitingFixtureWorkflow } from './stall-fixture-workflow';

// SLUICE_WORKFLOW_STACK_TRACES (workers/workflow-stack-traces.cjs) on a worker process started with the preload,
// against the real SDK and server: by default a waiting run answers the UI's `__stack_trace` query with its
// frames; with `off` the SDK's promise hook is left out and the worker says stack traces are not enabled.

describe('workflow stack traces on a real worker', () => {
  const suite = preloadedWorkerSuite();

  /** The `__stack_trace` query's answer, or its error's message, for a run waiting on a worker with `settings`. */
  async function stackTraceWith(taskQueue: string, settings: Record<string, string>): Promise<string> {
    await suite.startWorker(taskQueue, settings);
    const handle = await suite.client().workflow.start<typeof waitingFixtureWorkflow>('waitingFixtureWorkflow', {
      taskQueue, workflowId: `${taskQueue}-${Date.now()}`,
    });
    try {
      return await handle.query<string>('__stack_trace');
    } catch (error) {
      return `query failed: ${(error as Error).message}`;
    } finally {
      await handle.terminate('test over');
    }
  }

  it('by default a waiting run shows where it waits', async () => {
    const stack = await stackTraceWith('stack-traces-on', {});
    expect(stack).toMatch(/waitingFixtureWorkflow/);
    expect(stack).toMatch(/stall-fixture-workflow\.ts/);
  });

  it('with "off" the worker answers that stack traces are not enabled, and runs workflows', async () => {
    const taskQueue = 'stack-traces-off';
    const stack = await stackTraceWith(taskQueue, { SLUICE_WORKFLOW_STACK_TRACES: 'off' });
    expect(stack).toMatch(/^query failed: .*stack traces are not enabled/);
    const spun = await suite.client().workflow.execute('stallFixtureWorkflow', {
      taskQueue, workflowId: `${taskQueue}-spin-${Date.now()}`, args: [1],
    });
    expect(spun).toMatch(/^spun \d+$/);
  });
});
