import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { offlineCatalog } from '../../contracts/model-catalog';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { freshDataDir, startTestServer } from '../helpers/temporal-env';

// The deployed worker runs compiled (scripts/build-worker.mjs into dist/, started by workers/start-orchestration.sh):
// every file its modules read beside themselves (gate weights, worker-thread scripts, the prompt library, the
// sample corpus) must be found from dist/ too, and the workflows still bundle from their sources.
const root = join(__dirname, '..', '..');
let env: TestWorkflowEnvironment;
let worker: ChildProcessWithoutNullStreams;
let stderr = '';

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-worker.mjs')], { cwd: root, stdio: 'pipe' });
  env = await startTestServer();
  worker = spawn(join(root, 'workers', 'start-orchestration.sh'), [], {
    cwd: root,
    env: {
      ...process.env, SLUICE_TEMPORAL_ADDRESS: env.address, SLUICE_DATA_DIR: freshDataDir(), SLUICE_LOG_LEVEL: 'info',
      SLUICE_REDACTION_KEY: randomBytes(32).toString('base64'), SLUICE_CODEC: 'off', SLUICE_WORKER_FROM_SOURCE: '0',
    },
  });
  worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    worker.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('orchestration worker polling')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
  });
}, 180_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  await env?.teardown();
});

describe('the compiled orchestration worker', () => {
  it('starts from dist/, not from its sources', () => {
    expect(stderr).not.toContain('from its sources');
  });

  it('ingests the sample corpus and answers through the gates, the embedder and the offline model', async () => {
    const run = (type: string, workflowId: string, input: unknown) =>
      env.client.workflow.execute(type, { taskQueue: taskQueues.orchestration, workflowId, args: [input] });
    await run(workflowTypes.ingest, 'compiled-ingest', {
      tenant: 'compiled', ingestId: 'corpus', path: join(root, 'examples', 'corpus'),
    });
    const result = (await run(workflowTypes.answer, 'compiled-answer', {
      tenant: 'compiled', requestId: 'r1',
      question: 'What happens when a worker process crashes in the middle of an answer?',
    })) as { status: string; answer?: string; model?: string };
    expect(result.status).toBe('answered');
    expect(result.answer).toMatch(/\w+/);
    expect(offlineCatalog.models.map((model) => model.id)).toContain(result.model);
  }, 120_000);
});
