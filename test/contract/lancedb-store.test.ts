import * as lancedb from '@lancedb/lancedb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { chunkPointId } from '../../activities/retrieval/point-id';
import { contractDimensions, describeVectorStoreContract } from './vector-store-contract';

describeVectorStoreContract('LanceDB (embedded default)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-contract-lance-'));
  // A low optimize threshold makes the large-upsert case exercise index folding too.
  const store = await LanceDbStore.open(directory, 'chunks', contractDimensions, { optimizeEveryRows: 500 });
  return { store, cleanup: async () => rmSync(directory, { recursive: true, force: true }) };
}, { isolatesTenantStatistics: true });

// The same contract on the path a search falls back to when commits keep moving row ids: the ranking
// queries read the columns themselves, with the tenant filter.
describeVectorStoreContract('LanceDB, reading columns in the rankings', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-contract-lance-columns-'));
  const store = await LanceDbStore.open(directory, 'chunks', contractDimensions, {
    optimizeEveryRows: 500, rowIdSearchAttempts: 0,
  });
  return { store, cleanup: async () => rmSync(directory, { recursive: true, force: true }) };
}, { isolatesTenantStatistics: true });

describe('LanceDB store written before tables were per tenant and chunks versioned', () => {
  it('moves each tenant\'s rows into its own table on first use, as version 0', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sluice-legacy-lance-'));
    const embedder = new HashingEmbedder(contractDimensions);
    const row = async (tenant: string, documentId: string, chunkIndex: number, text: string) => ({
      id: chunkPointId(tenant, documentId, chunkIndex, text), tenant, document_id: documentId, chunk_index: chunkIndex,
      title: documentId, source: documentId, text, vector: (await embedder.embed([text]))[0]!,
    });
    // The old layout: one shared table, no version column.
    const connection = await lancedb.connect(directory);
    const legacy = await connection.createTable('chunks', [
      await row('t1', 'a', 0, 'old alpha text'), await row('t1', 'a', 1, 'old beta text'),
      await row('t2', 'b', 0, 'other tenant'),
    ]);
    legacy.close();
    const store = await LanceDbStore.open(directory, 'chunks', contractDimensions);
    try {
      const [vector] = await embedder.embed(['alpha text']);
      expect((await store.search({ tenant: 't1', text: 'alpha text', vector, topK: 5 }))[0]?.text)
        .toBe('old alpha text');
      expect(await store.count('t1', 'a')).toBe(2);
      expect(await store.hasTenant('t2')).toBe(true);
      // A re-ingest settles over the unversioned rows like over any older version.
      await store.upsert([{
        id: chunkPointId('t1', 'a', 0, 'new text'), tenant: 't1', documentId: 'a', chunkIndex: 0, title: 'a',
        source: 'a', text: 'new text', vector: vector!, version: 1,
      }]);
      expect(await store.settleDocument('t1', 'a', 1)).toEqual({ removed: 2, superseded: false });
      expect(await store.count('t1')).toBe(1);
    } finally {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('LanceDB store under concurrent first writes of a tenant', () => {
  it('creates the tenant\'s table once, keeping every row of every concurrent write', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sluice-concurrent-lance-'));
    const embedder = new HashingEmbedder(contractDimensions);
    try {
      const store = await LanceDbStore.open(directory, 'chunks', contractDimensions);
      for (let round = 0; round < 20; round += 1) {
        const tenant = `fresh-${round}`;
        const chunks = await Promise.all(Array.from({ length: 4 }, async (_, index) => {
          const text = `document ${index} of round ${round}`;
          return {
            id: chunkPointId(tenant, `doc-${index}`, 0, text), tenant, documentId: `doc-${index}`, chunkIndex: 0,
            title: `doc-${index}`, source: `doc-${index}.md`, text, vector: (await embedder.embed([text]))[0]!,
          };
        }));
        // What four documents ingested at once do to a tenant that has no table yet.
        await Promise.all(chunks.map((chunk) => store.upsert([chunk])));
        expect(await store.count(tenant)).toBe(4);
      }
      await store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
