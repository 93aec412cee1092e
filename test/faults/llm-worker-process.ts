// A real OpenAI-protocol provider worker (workers/llm-worker.ts, queue `sluice-llm-openai`) in its own
// process, for test/faults/provider-worker-kill.test.ts: the test SIGKILLs it while model calls are in
// flight and starts another. It serves the storm catalog (provider-storm-fixtures.ts) pointed at the
// fake wire server whose base URLs the environment names, and its cost recorder appends each record,
// as one JSON line with this process's pid, to PROVIDER_WORKER_COST_FILE with a synchronous write:
// a line exists once `costRecorder.record` returned, i.e. just before the activity reports completion.
// Reports `ready <identity>` on stdout once it polls. Its stdin is a lifeline: when the test process
// dies, so does this one. PROVIDER_WORKER_DOUBLE_RECORD=1 writes every record twice (the test's
// self-check that its duplicate check names the duplicated call).
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { appendFileSync } from 'node:fs';
import type { CostRecord, CostRecorder } from '../../activities/models/cost-recorder';
import { createLlmWorker } from '../../workers/llm-worker';
import { stormCatalog } from './provider-storm-fixtures';
import type { CostLine } from './provider-worker-child';

function fileRecorder(path: string, copies: number): CostRecorder {
  return {
    record(entry: CostRecord): void {
      const line = `${JSON.stringify({ ...entry, pid: process.pid } satisfies CostLine)}\n`;
      for (let copy = 0; copy < copies; copy++) appendFileSync(path, line);
    },
  };
}

async function main(): Promise<void> {
  process.stdin.once('end', () => process.exit(2));
  process.stdin.resume();
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const address = process.env.SLUICE_TEMPORAL_ADDRESS;
  const costFile = process.env.PROVIDER_WORKER_COST_FILE;
  const openAIBaseUrl = process.env.PROVIDER_WORKER_OPENAI_URL;
  const anthropicBaseUrl = process.env.PROVIDER_WORKER_ANTHROPIC_URL;
  if (!address || !costFile || !openAIBaseUrl || !anthropicBaseUrl) {
    throw new Error('SLUICE_TEMPORAL_ADDRESS, PROVIDER_WORKER_COST_FILE and PROVIDER_WORKER_*_URL must be set');
  }
  // stormCatalog reads only the two base URLs of its argument.
  const catalog = stormCatalog({ openAIBaseUrl, anthropicBaseUrl });
  const connection = await NativeConnection.connect({ address });
  const worker = await createLlmWorker({
    connection, namespace: 'default', catalog, provider: 'openai',
    environment: { STORM_OPENAI_KEY: 'sk-storm-openai', STORM_ANTHROPIC_KEY: 'sk-storm-anthropic' },
    costRecorder: fileRecorder(costFile, process.env.PROVIDER_WORKER_DOUBLE_RECORD === '1' ? 2 : 1),
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  process.stdout.write(`ready ${worker.options.identity}\n`);
  await running;
  await connection.close();
  process.stdout.write('stopped\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`llm-worker-process: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
