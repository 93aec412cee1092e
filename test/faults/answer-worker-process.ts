// A real orchestration worker in its own process, for fault and load tests: the test kills it with
// SIGKILL under load, or stops it with SIGTERM (drain, close the store, exit 0). It opens the
// embedded store under SLUICE_DATA_DIR with the embedder and ingest roots the environment names
// (SLUICE_EMBEDDER, SLUICE_INGEST_ROOTS), and reports on stdout, one line each:
//   `ready <identity>`          once it polls;
//   `upserted <tenant> <n>`     after each store upsert of n chunks, so a test can tell an ingest is mid-way;
//   `stopped`                   after a clean stop, when the store is closed.
// Its stdin is a lifeline: when the test process dies (its end of the pipe closes), so does this one.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { VectorStore } from '../../activities/retrieval/vector-store';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { workflowBundlePath } from '../helpers/workflow-bundle';

/** The store with every upsert reported on stdout (after it succeeded, so a line means the chunks are stored). */
function reportingUpserts(store: VectorStore): VectorStore {
  const upsert: VectorStore['upsert'] = async (chunks) => {
    await store.upsert(chunks);
    const tenants = new Map<string, number>();
    for (const chunk of chunks) tenants.set(chunk.tenant, (tenants.get(chunk.tenant) ?? 0) + 1);
    for (const [tenant, count] of tenants) process.stdout.write(`upserted ${tenant} ${count}\n`);
  };
  return Object.assign(Object.create(store) as VectorStore, { upsert });
}

async function main(): Promise<void> {
  process.stdin.once('end', () => process.exit(2));
  process.stdin.resume();
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const dataDir = process.env.SLUICE_DATA_DIR;
  const address = process.env.SLUICE_TEMPORAL_ADDRESS;
  if (!dataDir || !address) throw new Error('SLUICE_DATA_DIR and SLUICE_TEMPORAL_ADDRESS must be set');
  const dependencies = await openEmbeddedDefaults(dataDir);
  const connection = await NativeConnection.connect({ address });
  const worker = await createOrchestrationWorker({
    connection,
    namespace: 'default',
    dependencies: { ...dependencies, store: reportingUpserts(dependencies.store) },
    workflowBundle: { codePath: process.env.SLUICE_WORKFLOW_BUNDLE ?? workflowBundlePath },
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  process.stdout.write(`ready ${worker.options.identity}\n`);
  await running;
  // Closed before exiting, so the next process to open this data folder finds it free.
  await dependencies.store.close();
  await connection.close();
  process.stdout.write('stopped\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`answer-worker-process: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
