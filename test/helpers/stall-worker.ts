// A Temporal worker in its own process for test/workflows/workflow-thread-guard.test.ts and
// workflow-stack-traces.test.ts (through test/helpers/preloaded-worker.ts), started with
// workers/workflow-thread-guard.cjs preloaded as the worker processes are. It runs the workflows of
// stall-fixture-workflow on STALL_TASK_QUEUE and prints `ready` once it polls.
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: process.env.SLUICE_TEMPORAL_ADDRESS! });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/stall-fixture-workflow'),
    logger: new DefaultLogger('ERROR'),
  });
  // The SDK's per-call limit (default 5 s), lowered so the test is quick. The SDK reads it at run time,
  // though its public WorkerOptions type no longer lists it.
  const isolateLimit = { isolateExecutionTimeout: '1s' } as Record<string, unknown>;
  const worker = await Worker.create({ connection, taskQueue: process.env.STALL_TASK_QUEUE!, workflowBundle, ...isolateLimit });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

void main();
