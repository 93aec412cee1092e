import { ApplicationFailure } from '@temporalio/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetrievalActivities } from '../../../../activities/retrieval/activities';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import {
  listSourceFiles, maxSourceBytes, readSourceText, UnreadableSourceError,
} from '../../../../activities/retrieval/read-sources';
import { SourceRoots, toSourceFailure } from '../../../../activities/retrieval/source-roots';

// Ingest paths that are not regular files or folders: a FIFO would block a listing or read
// forever, /dev/zero never ends, /proc is kernel state. A root like that is refused at once (not
// retried), and one such file inside a folder is skipped with a reason while the rest goes on.
const onLinux = process.platform === 'linux' ? it : it.skip;

describe('ingest paths that are not documents', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-special-'));
  const fifo = join(folder, 'queue.md');
  const socketPath = join(folder, 'server.md');
  let server: Server;
  let store: LanceDbStore;
  let activities: ReturnType<typeof createRetrievalActivities>;

  beforeAll(async () => {
    writeFileSync(join(folder, 'guide.md'), '# Guide\n\nAcme ships on Mondays.');
    execFileSync('mkfifo', [fifo]);
    symlinkSync('/dev/zero', join(folder, 'zero-link.md'));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    store = await LanceDbStore.open(mkdtempSync(join(tmpdir(), 'sluice-special-store-')), 'chunks', 64);
    activities = createRetrievalActivities({
      store, embedder: new HashingEmbedder(64), sourceRoots: new SourceRoots({ acme: [folder, '/dev', '/proc'] }),
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it.each([
    ['a FIFO', () => fifo, 'a named pipe (FIFO)'],
    ['a socket', () => socketPath, 'a socket'],
    ['/dev/zero', () => '/dev/zero', 'a character device'],
  ])('refuses %s as the root, naming the path and what it is', async (_case, path, kind) => {
    const listing = listSourceFiles(path());
    await expect(listing).rejects.toBeInstanceOf(UnreadableSourceError);
    await expect(listing).rejects.toThrow(`${path()} cannot be ingested: it is ${kind}, not a file or folder`);
  });

  onLinux('refuses /proc/self, and files under it, as the root', async () => {
    await expect(listSourceFiles('/proc/self')).rejects.toThrow(/^\/proc\/self cannot be ingested: .*kernel's proc/);
    await expect(listSourceFiles('/proc/self/status')).rejects.toBeInstanceOf(UnreadableSourceError);
    await expect(listSourceFiles('/proc/self/task')).rejects.toBeInstanceOf(UnreadableSourceError);
  });

  it('lists a FIFO, a socket and a link to a device without blocking; each is skipped with a reason', async () => {
    const files = await listSourceFiles(folder);
    expect(files.map((file) => file.documentId)).toEqual(['guide.md', 'queue.md', 'server.md', 'zero-link.md']);
    const outcomes = await Promise.all(files.map((file) => readSourceText(file)));
    expect(outcomes).toEqual([
      { ok: true, text: '# Guide\n\nAcme ships on Mondays.', format: 'markdown' },
      { ok: false, reason: 'a named pipe (FIFO), not a regular file' },
      { ok: false, reason: 'a socket, not a regular file' },
      { ok: false, reason: 'a character device, not a regular file' },
    ]);
  });

  it('never reads a device, even under a document\'s name', async () => {
    const outcome = await readSourceText({ path: join(folder, 'zero-link.md'), documentId: 'zero-link.md', bytes: 1 });
    expect(outcome).toEqual({ ok: false, reason: 'a character device, not a regular file' });
  });

  onLinux('skips a /proc file named in a crafted batch', async () => {
    symlinkSync('/proc/self/status', join(folder, '.status.md'));
    const outcome = await readSourceText({ path: join(folder, '.status.md'), documentId: 'status.md', bytes: 10 });
    expect(outcome).toEqual({ ok: false, reason: 'a file of the kernel\'s proc file system, not a document' });
  });

  it('goes by the size on disk, not the size a file list claims', async () => {
    const big = join(folder, '.big.md');
    writeFileSync(big, Buffer.alloc(maxSourceBytes + 10, 0x61));
    expect(await readSourceText({ path: big, documentId: 'big.md', bytes: 1 }))
      .toEqual({ ok: false, reason: `larger than ${maxSourceBytes} bytes` });
  });

  describe('at the activity boundary', () => {
    const failureOf = async (work: Promise<unknown>): Promise<ApplicationFailure> => {
      const error = await work.then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApplicationFailure);
      return error as ApplicationFailure;
    };

    const roots: [string, () => string][] = [
      ['a FIFO', () => fifo],
      ['/dev/zero', () => '/dev/zero'],
      ...(process.platform === 'linux' ? [['/proc/self', () => '/proc/self'] as [string, () => string]] : []),
    ];
    it.each(roots)('fails listing %s with a non-retryable UnreadableSource failure', async (_case, path) => {
      // Started one at a time: a second call started early rejects before anything awaits it.
      for (const list of [
        () => activities.listSourceFiles({ tenant: 'acme', path: path() }),
        () => activities.listSourceFilesPage({ tenant: 'acme', path: path(), offset: 0, limit: 10 }),
      ]) {
        const failure = await failureOf(list());
        expect(failure).toMatchObject({ type: 'UnreadableSource', nonRetryable: true });
        expect(failure.message).toMatch(/cannot be ingested: it is /);
        expect(failure.message).not.toContain('\n');
      }
    });

    it('skips a FIFO and a link to a device inside a folder and ingests the rest', async () => {
      const files = await activities.listSourceFiles({ tenant: 'acme', path: folder });
      const outcomes = await Promise.all(files.map((file) => activities.ingestDocument({ tenant: 'acme', file })));
      expect(outcomes.map((outcome) => [outcome.documentId, outcome.status, outcome.reason])).toEqual([
        ['guide.md', 'ingested', undefined],
        ['queue.md', 'skipped', 'a named pipe (FIFO), not a regular file'],
        ['server.md', 'skipped', 'a socket, not a regular file'],
        ['zero-link.md', 'skipped', 'a character device, not a regular file'],
      ]);
    });

    it('maps the typed error to its failure type', () => {
      expect(toSourceFailure(new UnreadableSourceError('x')))
        .toMatchObject({ type: 'UnreadableSource', nonRetryable: true });
    });
  });
});
