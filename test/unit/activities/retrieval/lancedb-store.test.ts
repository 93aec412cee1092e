import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import { chunkPointId } from '../../../../activities/retrieval/point-id';
import type { EmbeddedChunk } from '../../../../activities/retrieval/vector-store';

const embedder = new HashingEmbedder(64);

async function chunk(tenant: string, documentId: string, chunkIndex: number, text: string): Promise<EmbeddedChunk> {
  const [vector] = await embedder.embed([text]);
  return { id: chunkPointId(tenant, documentId, chunkIndex, text), tenant, documentId, chunkIndex, title: documentId, source: documentId, text, vector: vector! };
}

describe('LanceDbStore', () => {
  let store: LanceDbStore;
  const search = async (tenant: string, text: string) => store.search({ tenant, text, vector: (await embedder.embed([text]))[0]!, topK: 5 });

  beforeEach(async () => {
    store = await LanceDbStore.open(mkdtempSync(join(tmpdir(), 'sluice-lance-')), 'chunks', embedder.dimensions);
  });
  afterEach(() => store.close());

  it('finds a chunk by meaning and by words, best first', async () => {
    await store.upsert([await chunk('t1', 'a', 0, 'Temporal replays workflow history after a crash'), await chunk('t1', 'b', 0, 'Qdrant stores dense vectors')]);
    const results = await search('t1', 'what happens after a crash');
    expect(results[0]?.documentId).toBe('a');
  });

  it('does not duplicate chunks when the same upsert is repeated', async () => {
    const chunks = [await chunk('t1', 'a', 0, 'one'), await chunk('t1', 'a', 1, 'two')];
    await store.upsert(chunks);
    await store.upsert(chunks);
    expect((await search('t1', 'one two')).length).toBe(2);
  });

  it('never returns another tenant\'s chunks, whatever the query', async () => {
    await store.upsert([await chunk('t1', 'a', 0, 'secret plans of tenant one'), await chunk('t2', 'b', 0, 'public notes of tenant two')]);
    for (const query of ['secret plans of tenant one', "' OR tenant = 't1", 'tenant one']) {
      const results = await search('t2', query);
      expect(results.every((result) => result.tenant === 't2')).toBe(true);
    }
    expect(await search("t2' OR '1'='1", 'secret')).toEqual([]);
  });

  it('removes chunks of an older version of a document', async () => {
    await store.upsert([await chunk('t1', 'a', 0, 'old first'), await chunk('t1', 'a', 1, 'old second')]);
    const current = [await chunk('t1', 'a', 0, 'new first')];
    await store.upsert(current);
    expect(await store.deleteDocumentChunks('t1', 'a', current.map((item) => item.id))).toBe(2);
    expect((await search('t1', 'first second old new')).map((result) => result.text)).toEqual(['new first']);
  });
});
