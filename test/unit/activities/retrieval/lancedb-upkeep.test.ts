import * as lancedb from '@lancedb/lancedb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import { chunkPointId } from '../../../../activities/retrieval/point-id';
import type { EmbeddedChunk } from '../../../../activities/retrieval/vector-store';

const embedder = new HashingEmbedder(64);
const tenant = 'acme';
// Twenty commits between optimizes (the default), plus the compacted fragments and the write in flight.
const fragmentBound = 24;
const directories: string[] = [];

function freshDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-upkeep-'));
  directories.push(directory);
  return directory;
}

const words = ['amber', 'basalt', 'cobalt', 'dune', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper'];
/** Text only document `index` has: two of the words above, in an order no other document uses. */
const topic = (index: number): string => `${words[index % 10]} ${words[Math.floor(index / 10) % 10]}`;

/** One small ingest: a document of three chunks, then its older versions settled, as ingestParsedDocument does. */
async function ingest(store: LanceDbStore, index: number, version = 1): Promise<void> {
  const documentId = `doc-${index}`;
  const texts = [0, 1, 2].map((part) => `${topic(index)} part ${part} version ${version}`);
  const vectors = await embedder.embed(texts);
  const chunks: EmbeddedChunk[] = texts.map((text, chunkIndex) => ({
    id: chunkPointId(tenant, documentId, chunkIndex, text), tenant, documentId, chunkIndex, title: documentId,
    source: `${documentId}.md`, text, vector: vectors[chunkIndex]!, version,
  }));
  await store.upsert(chunks);
  await store.settleDocument(tenant, documentId, version);
}

async function fragments(store: LanceDbStore): Promise<number> {
  return (await store.tableStats(tenant))!.fragments;
}

afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

describe('LanceDB store upkeep', () => {
  it('keeps a table\'s fragments bounded over 60 small ingests, and finds every document', async () => {
    const store = await LanceDbStore.open(freshDirectory(), 'chunks', embedder.dimensions);
    try {
      let most = 0;
      for (let index = 0; index < 60; index += 1) {
        await ingest(store, index);
        most = Math.max(most, await fragments(store));
      }
      // Re-ingests of a few documents: new rows, and deletions of the old ones.
      for (let index = 0; index < 10; index += 1) {
        await ingest(store, index, 2);
        most = Math.max(most, await fragments(store));
      }
      expect(most).toBeLessThanOrEqual(fragmentBound);
      expect(await store.count(tenant)).toBe(180);
      for (const index of [0, 7, 33, 59]) {
        const text = topic(index);
        const [vector] = await embedder.embed([text]);
        const found = await store.search({ tenant, text, vector, topK: 3, mode: 'hybrid' });
        expect(found.map((chunk) => chunk.documentId)).toEqual([`doc-${index}`, `doc-${index}`, `doc-${index}`]);
        expect(found[0]!.text).toContain(index < 10 ? 'version 2' : 'version 1');
      }
    } finally {
      await store.close();
    }
  });

  it('keeps writing when an optimize fails, reports it, and optimizes again after more writes', async () => {
    // The table class is LanceDB's, not exported: take its prototype from a table of our own.
    const scratch = await lancedb.connect(freshDirectory());
    const table = await scratch.createTable('scratch', [{ a: 1 }]);
    const optimize = jest.spyOn(Object.getPrototypeOf(table) as lancedb.Table, 'optimize')
      .mockRejectedValueOnce(new Error('disk full'));
    table.close();
    const failures: unknown[] = [];
    const store = await LanceDbStore.open(freshDirectory(), 'chunks', embedder.dimensions, {
      onOptimizeError: (error) => failures.push(error),
    });
    try {
      // The optimize due after 20 commits fails; the one due 20 commits later succeeds.
      for (let index = 0; index < 45; index += 1) await ingest(store, index);
      expect(failures).toEqual([new Error('disk full')]);
      expect(optimize.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(await fragments(store)).toBeLessThanOrEqual(fragmentBound);
      expect(await store.count(tenant)).toBe(135);
    } finally {
      optimize.mockRestore();
      await store.close();
    }
  });
});
