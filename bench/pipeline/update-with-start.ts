// Update-with-start against a plain start, on the answer's shape (bench/pipeline/answer-shape/): how soon a
// caller holds the result when the workflow still has bookkeeping to do after it (none, one local activity
// such as storing the answer in the cache, or one activity on the task queue). Plain: start, then wait for
// the workflow's result. Update-with-start: one call that starts the run and waits on an update whose
// handler returns the result as soon as the workflow has it. Runs alternate, one at a time; each
// update-with-start run is left to finish (untimed) before the next starts.
// Usage: npx tsx bench/pipeline/update-with-start.ts [runs]   (JSON lines on stdout)
import { WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { startBenchServer } from '../bench-server';
import { summarise, timeMs } from '../stats';
import * as shapeActivities from './answer-shape/activities';
import { shapeResultUpdate, type Bookkeeping } from './answer-shape/result-update';

const runs = Number(process.argv[2] ?? 100);
const taskQueue = 'bench-update-with-start';
const workflowType = 'answerShapeWithUpdateWorkflow';

async function main(): Promise<void> {
  const server = await startBenchServer();
  const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./answer-shape/workflow'), logger: silent,
  });
  const worker = await Worker.create({
    connection: server.nativeConnection, namespace: server.namespace, taskQueue, workflowBundle,
    activities: shapeActivities,
  });
  let sequence = 0;
  const plain = (bookkeeping: Bookkeeping) => server.client.workflow.execute(workflowType, {
    taskQueue, workflowId: `bench-uws-plain-${sequence++}-${Date.now()}`, args: [bookkeeping],
  });
  const withUpdate = async (bookkeeping: Bookkeeping) => {
    const startWorkflowOperation = new WithStartWorkflowOperation(workflowType, {
      taskQueue, workflowId: `bench-uws-update-${sequence++}-${Date.now()}`, args: [bookkeeping],
      workflowIdConflictPolicy: 'FAIL',
    });
    let handle: Promise<{ result(): Promise<unknown> }> | undefined;
    const elapsed = await timeMs(async () => {
      await server.client.workflow.executeUpdateWithStart(shapeResultUpdate, { startWorkflowOperation });
      handle = startWorkflowOperation.workflowHandle();
    });
    await (await handle!).result();
    return elapsed;
  };
  await worker.runUntil(async () => {
    for (const bookkeeping of ['none', 'local', 'activity'] as const) {
      for (let index = 0; index < 20; index++) {
        await plain(bookkeeping);
        await withUpdate(bookkeeping);
      }
      const plainMs: number[] = [];
      const updateMs: number[] = [];
      for (let index = 0; index < runs; index++) {
        plainMs.push(await timeMs(() => plain(bookkeeping)));
        updateMs.push(await withUpdate(bookkeeping));
      }
      const [plainStats, updateStats] = [summarise(plainMs), summarise(updateMs)];
      console.log(JSON.stringify({ bench: 'update-with-start', bookkeeping, start: 'plain', ...plainStats }));
      console.log(JSON.stringify({ bench: 'update-with-start', bookkeeping, start: 'update-with-start', ...updateStats,
        vsPlainP50: +(updateStats.p50Ms / plainStats.p50Ms).toFixed(2) }));
    }
  });
  await server.teardown();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
