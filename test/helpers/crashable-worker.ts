// A real orchestration worker in its own process, for crash tests: the test kills it with
// SIGKILL mid-workflow. With RETRIEVAL_HANG=1 every store search hangs for ever, so the only way
// the retrieval activity it holds can finish is on another worker after this one is gone.
// It reports on stdout, one line each: `ready <identity>` once it polls, and
// `retrieval-started <attempt>` when a search begins, so the test knows what this process holds.
import { Context } from '@temporalio/activity';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { openEmbeddedDefaults } from '../../workers/embedded-defaults';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { workflowBundlePath } from './workflow-bundle';

/**
 * Never settles, and heartbeats while this process lives: if the activity was scheduled with a
 * heartbeat timeout, a live hung worker keeps its attempt, and only a dead one loses it early.
 * It ignores cancellation on purpose: a hung store read does not stop because it was asked to.
 */
function hangForever(): Promise<never> {
  setInterval(() => {
    try {
      Context.current().heartbeat();
    } catch {
      // Not inside an activity (cannot happen here), or the attempt is already gone.
    }
  }, 500);
  return new Promise<never>(() => undefined);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const hang = process.env.RETRIEVAL_HANG === '1';
  const dependencies = await openEmbeddedDefaults(process.env.SLUICE_DATA_DIR!);
  const store = dependencies.store;
  const search: typeof store.search = async (query) => {
    process.stdout.write(`retrieval-started ${Context.current().info.attempt}\n`);
    if (hang) return hangForever();
    return store.search.call(store, query);
  };
  const connection = await NativeConnection.connect({ address: process.env.SLUICE_TEMPORAL_ADDRESS! });
  const worker = await createOrchestrationWorker({
    connection,
    namespace: 'default',
    dependencies: { ...dependencies, store: Object.assign(Object.create(store), { search }) },
    workflowBundle: { codePath: workflowBundlePath },
  });
  const running = worker.run();
  process.stdout.write(`ready ${worker.options.identity}\n`);
  await running;
}

void main();
