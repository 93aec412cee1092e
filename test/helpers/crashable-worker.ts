// A real orchestration worker in its own process, for crash tests: the test kills it with
// SIGKILL mid-workflow. RETRIEVAL_DELAY_MS slows searches so the kill lands inside an activity.
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { workflowBundlePath } from './workflow-bundle';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const delayMs = Number(process.env.RETRIEVAL_DELAY_MS ?? 0);
  const dependencies = await openEmbeddedDefaults(process.env.SLUICE_DATA_DIR!);
  const store = dependencies.store;
  const search: typeof store.search = async (query) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return store.search.call(store, query);
  };
  const connection = await NativeConnection.connect({ address: process.env.SLUICE_TEMPORAL_ADDRESS! });
  const worker = await createOrchestrationWorker({
    connection, namespace: 'default', dependencies: { ...dependencies, store: Object.assign(Object.create(store), { search }) },
    workflowBundle: { codePath: workflowBundlePath },
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

void main();
