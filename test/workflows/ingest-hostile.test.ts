import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { SourceRoots } from '../../activities/retrieval/source-roots';
import type { IngestResult } from '../../contracts/ingest';
import { workflowTypes } from '../../contracts/workflow-types';
import { freshDataDir, startTestStack, type TestStack } from '../helpers/temporal-env';

// One bad document never fails the batch, and a path that is no document fails at once: a folder
// with a 1 MB single-paragraph file and a FIFO ingests the rest; a FIFO, /dev/zero or /proc/self
// given as the root fails the ingest with a non-retryable UnreadableSource, not after five retries.
describe('ingest of hostile sources', () => {
  const base = mkdtempSync(join(tmpdir(), 'sluice-ingest-hostile-'));
  const fifo = join(base, 'pipe.md');
  let stack: TestStack;
  let counter = 0;
  const ingest = (path: string) => stack.execute<IngestResult>(
    workflowTypes.ingest, `ingest-hostile-${++counter}`, { tenant: 'acme', ingestId: `hostile-${counter}`, path },
  );

  beforeAll(async () => {
    execFileSync('mkfifo', [fifo]);
    // The hashing embedder: the 1 MB file is ~1,500 chunks, which the ONNX model would take minutes
    // to embed on a shared CI machine; this suite is about reading and chunking, not embedding.
    const store = await LanceDbStore.open(freshDataDir(), 'chunks', 256);
    stack = await startTestStack(() => ({
      store,
      embedder: new HashingEmbedder(256),
      // This tenant may read /dev and /proc, so only the file type stands between them and the worker.
      sourceRoots: new SourceRoots({ acme: [base, '/dev', '/proc'] }),
    }));
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('ingests a folder holding a 1 MB single paragraph, skipping a FIFO with a reason', async () => {
    const folder = mkdtempSync(join(base, 'docs-'));
    const words = Array.from({ length: 150_000 }, (_, index) => `term${index % 3000}`);
    writeFileSync(join(folder, 'huge.md'), `# Huge\n\n${words.join(' ')}.`);
    writeFileSync(join(folder, 'guide.md'), '# Guide\n\nAcme ships on Mondays.');
    writeFileSync(join(folder, 'notes.txt'), 'Returns are accepted for thirty days.');
    execFileSync('mkfifo', [join(folder, 'queue.md')]);
    const result = await ingest(folder);
    expect(result).toMatchObject({ ingestedDocuments: 3, skippedDocuments: 1 });
    expect(result.documents.find((document) => document.documentId === 'queue.md'))
      .toMatchObject({ status: 'skipped', reason: 'a named pipe (FIFO), not a regular file' });
    const huge = result.documents.find((document) => document.documentId === 'huge.md')!;
    expect(huge.status).toBe('ingested');
    expect(huge.chunks).toBeGreaterThan(500);
    expect(await stack.dependencies.store.count('acme', 'guide.md')).toBeGreaterThan(0);
  });

  it.each([
    ['a FIFO', () => fifo, /pipe\.md cannot be ingested: it is a named pipe \(FIFO\), not a file or folder/],
    ['/dev/zero', () => '/dev/zero', /\/dev\/zero cannot be ingested: it is a character device/],
    ['/proc/self', () => '/proc/self', /\/proc\/\d+ cannot be ingested: it is on the kernel's proc file system/],
    ['a path under /proc/self', () => '/proc/self/status', /cannot be ingested: it is on the kernel's proc/],
  ])('fails at once, not retried, for %s', async (_case, path, message) => {
    const started = Date.now();
    const error: unknown = await ingest(path()).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activity = (error as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect((activity as ActivityFailure).retryState).toBe(RetryState.NON_RETRYABLE_FAILURE);
    const failure = (activity as ActivityFailure).cause;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'UnreadableSource', nonRetryable: true, message: expect.stringMatching(message),
    });
    expect((failure as ApplicationFailure).message).not.toContain('\n');
    // Five attempts with backoff would take seconds; one refused attempt takes milliseconds.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
