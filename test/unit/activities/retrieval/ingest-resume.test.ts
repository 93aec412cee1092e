import { MockActivityEnvironment } from '@temporalio/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetrievalActivities } from '../../../../activities/retrieval/activities';
import { SourceRoots } from '../../../../activities/retrieval/source-roots';
import type { Embedder } from '../../../../activities/retrieval/embedder';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import type { SourceFile } from '../../../../contracts/ingest';

/** Counts what it embeds, and can fail after a number of calls (a worker dying mid-file). */
class CountingEmbedder implements Embedder {
  readonly id = 'counting';
  readonly dimensions = 32;
  embedded: string[] = [];
  private readonly inner = new HashingEmbedder(32);
  constructor(private failAfterCalls = Infinity) {}
  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.failAfterCalls-- <= 0) throw new Error('worker lost');
    this.embedded.push(...texts);
    return this.inner.embed(texts);
  }
}

describe('resuming a long ingest from heartbeat details', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-resume-'));
  const rows = Array.from({ length: 6 }, (_, index) =>
    JSON.stringify({ id: `r${index}`, text: `Record number ${index} about resumable ingest.` }),
  ).join('\n');
  writeFileSync(join(folder, 'rows.jsonl'), rows);
  const sourceRoots = new SourceRoots({ '*': [folder] });
  const file: SourceFile = {
    path: join(folder, 'rows.jsonl'),
    documentId: 'rows.jsonl',
    bytes: Buffer.byteLength(rows),
  };

  it('picks up at the first unfinished record when the same content is retried', async () => {
    const store = await LanceDbStore.open(mkdtempSync(join(tmpdir(), 'sluice-resume-store-')), 'chunks', 32);
    const heartbeats: unknown[] = [];
    const first = new MockActivityEnvironment();
    first.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const dying = new CountingEmbedder(4);
    await expect(first.run(createRetrievalActivities({ store, embedder: dying, sourceRoots }).ingestDocument, {
      tenant: 't', file,
    })).rejects.toThrow('worker lost');
    expect(dying.embedded).toHaveLength(4);

    const retry = new MockActivityEnvironment({ heartbeatDetails: heartbeats.at(-1), attempt: 2 });
    const resumed = new CountingEmbedder();
    const outcome = await retry.run(
      createRetrievalActivities({ store, embedder: resumed, sourceRoots }).ingestDocument, { tenant: 't', file },
    );
    expect(resumed.embedded.map((text) => text.split('\n')[1])).toEqual([
      'Record number 4 about resumable ingest.',
      'Record number 5 about resumable ingest.',
    ]);
    expect(outcome).toMatchObject({ status: 'ingested', chunks: 6, records: 6 });
    expect(await store.count('t')).toBe(6);
    await store.close();
  });

  it('starts over when the file changed between attempts', async () => {
    const store = await LanceDbStore.open(mkdtempSync(join(tmpdir(), 'sluice-resume-store-')), 'chunks', 32);
    const stale = { contentHash: 'of-another-version', nextDocument: 5, chunks: 5, replacedChunks: 0 };
    const embedder = new CountingEmbedder();
    const outcome = await new MockActivityEnvironment({ heartbeatDetails: stale })
      .run(createRetrievalActivities({ store, embedder, sourceRoots }).ingestDocument, { tenant: 't', file });
    expect(embedder.embedded).toHaveLength(6);
    expect(outcome).toMatchObject({ chunks: 6 });
    await store.close();
  });
});
