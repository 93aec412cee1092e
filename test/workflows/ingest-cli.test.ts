import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ActivityDependencies } from '../../activities';
import { freshDataDir, openTestDependencies, startTestServer, startWorker } from '../helpers/temporal-env';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

async function sluice(args: string[], address: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(root, 'bin', 'sluice'), args, { env: { ...process.env, SLUICE_TEMPORAL_ADDRESS: address, SLUICE_TENANT: 'cli-ingest' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('sluice ingest and sluice delete', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startTestServer();
    dependencies = await openTestDependencies();
    worker = await startWorker(env, dependencies);
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await dependencies?.store.close();
    await env?.teardown();
  });

  it('reports partly ingested JSON-lines files and deletes a document by id', async () => {
    const folder = freshDataDir();
    writeFileSync(join(folder, 'faq.jsonl'), `${JSON.stringify({ id: 'q1', text: 'Refunds take five days.' })}\n{oops\n`);
    writeFileSync(join(folder, 'page.html'), '<h1>Shipping</h1><p>Orders ship the same day.</p>');
    const ingest = await sluice(['ingest', folder], env.address);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain('partly ingested faq.jsonl: 1 record(s) skipped: line 2: not valid JSON');
    expect(ingest.stdout).toMatch(/ingested 2 document\(s\), 2 chunk\(s\); skipped 0/);
    expect(await dependencies.store.count('cli-ingest', 'page.html')).toBe(1);

    const removed = await sluice(['delete', 'page.html', 'faq.jsonl#q1'], env.address);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe('page.html: 1 chunk(s) deleted\nfaq.jsonl#q1: 1 chunk(s) deleted\n');
    expect(await dependencies.store.count('cli-ingest')).toBe(0);
  });

  it('rejects a delete without document ids with one clear line', async () => {
    const result = await sluice(['delete'], env.address);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing required argument 'documentIds'");
  });
});
