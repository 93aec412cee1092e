import * as lancedb from '@lancedb/lancedb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { tenantTableName, toRow } from '../../activities/retrieval/lancedb-tables';
import { chunkPointId } from '../../activities/retrieval/point-id';
import type { EmbeddedChunk, SearchMode } from '../../activities/retrieval/vector-store';
import { contractDimensions } from './vector-store-contract';

// The embedded store ranks by row id and reads the columns of the top hits afterwards (a row id
// names a row of one table version only), with no tenant filter in the query: these guard both.
const embedder = new HashingEmbedder(contractDimensions);
const modes: SearchMode[] = ['dense', 'lexical', 'hybrid'];

async function chunkOf(tenant: string, index: number, generation = 0): Promise<EmbeddedChunk> {
  const documentId = `doc-${index}`;
  const text = `marker${index} appears in document ${index}, written in generation ${generation}`;
  return {
    id: chunkPointId(tenant, documentId, 0, text), tenant, documentId, chunkIndex: 0, title: documentId,
    source: `${documentId}.md`, text, vector: (await embedder.embed([text]))[0]!, version: generation,
  };
}

async function withStore(run: (store: LanceDbStore, directory: string) => Promise<void>): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-rowid-lance-'));
  // Optimizes only when asked: the test decides when row ids move.
  const store = await LanceDbStore.open(directory, 'chunks', contractDimensions, {
    optimizeEveryWrites: 1_000_000, optimizeEveryRows: 1_000_000,
  });
  try {
    await run(store, directory);
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('LanceDB search by row id', () => {
  it('never returns a row of another tenant that found its way into a tenant\'s table', async () => {
    await withStore(async (store, directory) => {
      await store.upsert(await Promise.all([0, 1, 2].map((index) => chunkOf('owner', index))));
      // A row that only a bug could put there: another tenant's chunk in the owner's table.
      const connection = await lancedb.connect(directory);
      const table = await connection.openTable(tenantTableName('chunks', 'owner'));
      await table.add([toRow({ ...(await chunkOf('intruder', 1)), id: 'foreign-row' })]);
      table.close();
      const [vector] = await embedder.embed(['marker1 appears in document 1']);
      for (const mode of modes) {
        const hits = await store.search({ tenant: 'owner', text: 'marker1 appears', vector, topK: 10, mode });
        expect(hits.length).toBeGreaterThan(0);
        expect(hits.map((hit) => hit.tenant)).toEqual(hits.map(() => 'owner'));
        expect(hits.map((hit) => hit.id)).not.toContain('foreign-row');
      }
    });
  });

  it('returns the rows it ranked while writes and compactions move row ids', async () => {
    await withStore(async (store) => {
      const documents = 120;
      await store.upsert(await Promise.all(Array.from({ length: documents }, (_, index) => chunkOf('t', index))));
      let writing = true;
      const writer = (async () => {
        // Each round rewrites some documents (a merge-insert deletes and appends rows) and compacts
        // the table, which gives every row a new row id.
        for (let generation = 1; writing; generation += 1) {
          const rewritten = Array.from({ length: 10 }, (_, offset) => (generation * 10 + offset) % documents);
          await store.upsert(await Promise.all(rewritten.map((index) => chunkOf('t', index, generation))));
          await store.optimize('t');
        }
      })();
      try {
        for (let round = 0; round < 150; round += 1) {
          const index = (round * 7) % documents;
          const text = `marker${index} appears in document ${index}, written in generation`;
          const [vector] = await embedder.embed([text]);
          const [top] = await store.search({ tenant: 't', text, vector, topK: 3, mode: modes[round % 3]! });
          expect(top?.text).toContain(`marker${index} `);
          expect(top?.documentId).toBe(`doc-${index}`);
        }
      } finally {
        writing = false;
        await writer;
      }
    });
  });
});
