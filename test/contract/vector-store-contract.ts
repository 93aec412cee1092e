// The behaviour every VectorStore must have, run against each adapter: the embedded LanceDB
// store in CI (lancedb-store.test.ts) and Qdrant when QDRANT_URL is set (qdrant/).
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { ingestParsedDocument } from '../../activities/retrieval/ingest-document';
import { chunkPointId } from '../../activities/retrieval/point-id';
import {
  InvalidSearchError,
  type EmbeddedChunk,
  type SearchMode,
  type VectorStore,
} from '../../activities/retrieval/vector-store';
import { seededRandom as random } from '../helpers/seeded-random';

export interface StoreUnderTest {
  store: VectorStore;
  /** Removes whatever the store created (folder, collection). */
  cleanup(): Promise<void>;
}

/** What an adapter promises beyond the common contract. */
export interface ContractOptions {
  /**
   * Lexical (BM25) statistics are kept per tenant, so one tenant's ingests never change another
   * tenant's scores. LanceDB: yes (a table per tenant); Qdrant: no (README, "Retrieval and
   * ingestion").
   */
  isolatesTenantStatistics: boolean;
}

const embedder = new HashingEmbedder(64);
export const contractDimensions = embedder.dimensions;
const modes: SearchMode[] = ['hybrid', 'dense', 'lexical'];

async function chunk(
  tenant: string,
  documentId: string,
  chunkIndex: number,
  text: string,
  source = documentId,
): Promise<EmbeddedChunk> {
  const [vector] = await embedder.embed([text]);
  return {
    id: chunkPointId(tenant, documentId, chunkIndex, text),
    tenant,
    documentId,
    chunkIndex,
    title: documentId,
    source,
    text,
    vector: vector!,
  };
}


/** A store whose calls pause a random few milliseconds first, so concurrent ingests interleave. */
function jittered(store: VectorStore, next: () => number): VectorStore {
  const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 8)));
  return {
    ...store, name: store.name,
    upsert: async (chunks) => { await pause(); return store.upsert(chunks); },
    settleDocument: async (tenant, documentId, version) => {
      await pause();
      return store.settleDocument(tenant, documentId, version);
    },
    search: (query) => store.search(query), deleteDocument: (...args) => store.deleteDocument(...args),
    listDocuments: (...args) => store.listDocuments(...args), hasTenant: (tenant) => store.hasTenant(tenant),
    count: (...args) => store.count(...args), close: () => store.close(),
  };
}

export function describeVectorStoreContract(
  name: string, open: () => Promise<StoreUnderTest>, options: ContractOptions,
): void {
  describe(`VectorStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: VectorStore;
    const search = async (
      tenant: string,
      text: string,
      mode: SearchMode = 'hybrid',
      topK = 5,
      documentIds?: string[],
    ) => store.search({ tenant, text, vector: (await embedder.embed([text]))[0]!, topK, mode, documentIds });

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup();
    });

    it.each(modes)('finds the matching chunk first in %s mode', async (mode) => {
      await store.upsert([
        await chunk('t1', 'a', 0, 'Temporal replays workflow history after a worker crash'),
        await chunk('t1', 'b', 0, 'Qdrant stores dense vectors with payload indexes'),
        await chunk('t1', 'c', 0, 'The budget ledger settles token usage exactly once'),
      ]);
      const results = await search('t1', 'worker crash replays history', mode);
      expect(results[0]?.documentId).toBe('a');
      expect(results[0]).toMatchObject({
        tenant: 't1',
        chunkIndex: 0,
        title: 'a',
        source: 'a',
        text: 'Temporal replays workflow history after a worker crash',
      });
      const scores = results.map((result) => result.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    });

    it('reports each hit\'s cosine similarity to the query on dense and hybrid search, never on lexical', async () => {
      await store.upsert([
        await chunk('t1', 'a', 0, 'Temporal replays workflow history after a worker crash'),
        await chunk('t1', 'b', 0, 'Qdrant stores dense vectors with payload indexes'),
        await chunk('t1', 'c', 0, 'The budget ledger settles token usage exactly once'),
      ]);
      const query = 'worker crash replays history';
      const dense = await search('t1', query, 'dense');
      for (const hit of dense) expect(hit.similarity).toBe(hit.score);
      const denseScore = new Map(dense.map((hit) => [hit.id, hit.score]));
      const hybrid = await search('t1', query, 'hybrid');
      expect(hybrid).toHaveLength(3);
      for (const hit of hybrid) expect(hit.similarity).toBeCloseTo(denseScore.get(hit.id)!, 5);
      expect(hybrid[0]!.similarity).toBeGreaterThan(hybrid[2]!.similarity!);
      for (const hit of await search('t1', query, 'lexical')) expect(hit.similarity).toBeUndefined();
    });

    it('returns at most topK chunks', async () => {
      await store.upsert(
        await Promise.all(
          Array.from({ length: 12 }, (_, index) => chunk('t1', `d${index}`, 0, `shared topic words number ${index}`)),
        ),
      );
      for (const mode of modes) expect((await search('t1', 'shared topic words', mode, 3)).length).toBe(3);
    });

    it('does not duplicate chunks when the same upsert is repeated or runs concurrently', async () => {
      const chunks = [await chunk('t1', 'a', 0, 'one'), await chunk('t1', 'a', 1, 'two')];
      await store.upsert(chunks);
      await store.upsert(chunks);
      await Promise.all([store.upsert(chunks), store.upsert(chunks)]);
      expect(await store.count('t1')).toBe(2);
      expect(await store.count('t1', 'a')).toBe(2);
    });

    it('stores large upserts completely (adapters batch them)', async () => {
      const chunks = await Promise.all(
        Array.from({ length: 700 }, (_, index) => chunk('t1', `doc-${index % 7}`, index, `bulk chunk ${index}`)),
      );
      await store.upsert(chunks);
      expect(await store.count('t1')).toBe(700);
      expect(await store.count('t1', 'doc-3')).toBe(100);
    });

    it('removes the chunks of an older version of a document, keeping the new ones', async () => {
      await store.upsert([
        await chunk('t1', 'a', 0, 'old first'),
        await chunk('t1', 'a', 1, 'old second'),
        await chunk('t1', 'b', 0, 'other first'),
      ]);
      const current = [await chunk('t1', 'a', 0, 'new first')];
      await store.upsert(current);
      expect(await store.deleteDocument('t1', 'a', current.map((item) => item.id))).toBe(2);
      expect((await search('t1', 'first second old new', 'hybrid', 10, ['a'])).map((result) => result.text)).toEqual([
        'new first',
      ]);
      expect(await store.count('t1', 'b')).toBe(1);
    });

    it('keeps exactly the last of concurrent re-ingests of one document, never none (10 trials)', async () => {
      const next = random(7);
      const writers = 4;
      // Each version shares its first section with the others (same point id) and differs after it.
      const version = (trial: number, writer: number) => ({
        documentId: 'doc', title: 'Doc',
        text: [
          '# Shared\n\nThe same opening section in every version.',
          ...Array.from({ length: writer + 1 }, (_, part) =>
            `# Part ${part}\n\nTrial ${trial} writer ${writer} section ${part} text.`),
        ].join('\n\n'),
      });
      for (let trial = 0; trial < 10; trial++) {
        const dependencies = { store: jittered(store, next), embedder, embedBatchSize: 1 };
        await ingestParsedDocument(dependencies, 't1', {
          documentId: 'doc', title: 'Doc', text: `Trial ${trial} before.`,
        });
        // Started in order, so the last writer holds the highest version and must win.
        const results = await Promise.all(Array.from({ length: writers }, (_, writer) =>
          ingestParsedDocument(dependencies, 't1', version(trial, writer))));
        const texts = (await search('t1', 'section text shared opening', 'lexical', 50, ['doc']))
          .map((result) => result.text);
        expect(await store.count('t1', 'doc')).toBe(results[writers - 1]!.chunks);
        expect(texts
          .filter((text) => text.includes('writer'))
          .every((text) => text.includes(`Trial ${trial} writer ${writers - 1} `))).toBe(true);
        expect(texts.length).toBe(results[writers - 1]!.chunks);
      }
    });

    it('treats stored chunks without a version as older than any ingest', async () => {
      await store.upsert([await chunk('t1', 'a', 0, 'legacy first'), await chunk('t1', 'a', 1, 'legacy second')]);
      const newer = { ...(await chunk('t1', 'a', 0, 'legacy first')), version: 5 };
      await store.upsert([newer]);
      expect(await store.settleDocument('t1', 'a', 5)).toEqual({ removed: 1, superseded: false });
      // A lower version arriving late neither overwrites the newer chunk nor survives.
      await store.upsert([
        { ...(await chunk('t1', 'a', 0, 'legacy first')), version: 3 },
        { ...(await chunk('t1', 'a', 7, 'late')), version: 3 },
      ]);
      expect(await store.settleDocument('t1', 'a', 3)).toEqual({ removed: 0, superseded: true });
      expect((await search('t1', 'legacy first late', 'lexical', 10, ['a'])).map((result) => result.text))
        .toEqual(['legacy first']);
    });

    (options.isolatesTenantStatistics ? it : it.skip)('keeps a tenant\'s lexical scores unchanged ' +
      'when another tenant ingests many documents', async () => {
      await store.upsert([
        await chunk('a', 'x', 0, 'refund policy for annual plans'),
        await chunk('a', 'y', 0, 'shipping times for orders'),
      ]);
      const before = (await search('a', 'refund policy', 'lexical', 5)).map((result) => [result.id, result.score]);
      await store.upsert(await Promise.all(Array.from({ length: 300 }, (_, index) =>
        chunk('b', `d${index}`, 0, `refund policy refund ${index}`))));
      // Folded into the indexes, as an ingest does at its end (optimizeStore).
      await store.optimize?.();
      const after = (await search('a', 'refund policy', 'lexical', 5)).map((result) => [result.id, result.score]);
      expect(after).toEqual(before);
    });

    it('deletes a whole document, and only that tenant\'s copy of it', async () => {
      await store.upsert([
        await chunk('t1', 'a', 0, 'alpha one'),
        await chunk('t1', 'a', 1, 'alpha two'),
        await chunk('t2', 'a', 0, 'alpha of t2'),
      ]);
      expect(await store.deleteDocument('t1', 'a')).toBe(2);
      expect(await store.deleteDocument('t1', 'a')).toBe(0);
      expect(await store.count('t1')).toBe(0);
      expect(await store.count('t2', 'a')).toBe(1);
    });

    it('narrows a search to named documents, never outside the tenant', async () => {
      await store.upsert([
        await chunk('t1', 'a', 0, 'shared words here'),
        await chunk('t1', 'b', 0, 'shared words there'),
        await chunk('t2', 'c', 0, 'shared words elsewhere'),
      ]);
      for (const mode of modes) {
        expect((await search('t1', 'shared words', mode, 5, ['b'])).map((result) => result.documentId)).toEqual(['b']);
        expect(await search('t1', 'shared words', mode, 5, ['c'])).toEqual([]);
        expect(await search('t1', 'shared words', mode, 5, [])).toEqual([]);
      }
    });

    it(
      'finds a small tenant\'s chunk beside a big tenant with many better matches (filter inside the query)',
      async () => {
        await store.upsert(
          await Promise.all(
            Array.from({ length: 300 }, (_, index) => chunk('big', `d${index}`, 0, `alpha alpha alpha beta ${index}`)),
          ),
        );
        await store.upsert([await chunk('small', 'x', 0, 'alpha gamma delta epsilon zeta eta theta iota kappa')]);
        for (const mode of modes)
          expect((await search('small', 'alpha', mode, 5)).map((result) => result.documentId)).toEqual(['x']);
      },
    );

    it('lists the documents that cite a source, within the tenant', async () => {
      await store.upsert([
        await chunk('t1', 'rows.jsonl#2', 0, 'second record', 'rows.jsonl'),
        await chunk('t1', 'rows.jsonl#1', 0, 'first record', 'rows.jsonl'),
        await chunk('t1', 'rows.jsonl#1', 1, 'first record, more', 'rows.jsonl'),
        await chunk('t1', 'other.md', 0, 'unrelated'),
        await chunk('t2', 'rows.jsonl#9', 0, 'another tenant', 'rows.jsonl'),
      ]);
      expect(await store.listDocuments('t1', 'rows.jsonl')).toEqual(['rows.jsonl#1', 'rows.jsonl#2']);
      expect(await store.listDocuments('t1', "rows.jsonl' OR '1'='1")).toEqual([]);
    });

    it('knows which tenants exist', async () => {
      await store.upsert([await chunk('t1', 'a', 0, 'anything')]);
      expect(await store.hasTenant('t1')).toBe(true);
      expect(await store.hasTenant('t2')).toBe(false);
      expect(await store.hasTenant("t1' OR '1'='1")).toBe(false);
    });

    it('rejects a dense or hybrid search without a query vector', async () => {
      await expect(store.search({ tenant: 't1', text: 'x', topK: 3, mode: 'dense' })).rejects.toBeInstanceOf(
        InvalidSearchError,
      );
      await expect(store.search({ tenant: 't1', text: 'x', topK: 3 })).rejects.toBeInstanceOf(InvalidSearchError);
    });

    it('never returns another tenant\'s chunk, however the query is crafted', async () => {
      const secrets = [
        'secret merger plans of tenant one',
        'payroll of tenant one employees',
        'tenant one launch codes 0000',
      ];
      await store.upsert(await Promise.all(secrets.map((text, index) => chunk('t1', `secret-${index}`, 0, text))));
      await store.upsert([
        await chunk('t2', 'public', 0, 'public notes of tenant two'),
        await chunk('t2', 'public', 1, 'more notes of tenant two'),
      ]);
      const crafted = [
        ...secrets,
        "' OR tenant = 't1",
        "t1' --",
        '" OR 1=1 --',
        'tenant:t1',
        'tenant = t1 OR tenant = t2',
        '*',
        '%',
        'secret* OR payroll~',
        '(secret AND plans) OR (tenant:t1)',
        '\\"secret\\"',
        'secret\u0000plans',
        'SELECT * FROM chunks',
        '{"must":[]}',
        'a'.repeat(2000),
      ];
      const next = random(42);
      const vocabulary = secrets.join(' ').split(' ');
      for (let index = 0; index < 25; index++)
        crafted.push(
          Array.from(
            { length: 1 + Math.floor(next() * 6) },
            () => vocabulary[Math.floor(next() * vocabulary.length)],
          ).join(' '),
        );
      for (const text of crafted) {
        for (const mode of modes) {
          const results = await search('t2', text, mode, 10);
          expect(
            results.filter((result) => result.tenant !== 't2' || result.documentId.startsWith('secret')),
          ).toEqual([]);
        }
      }
      // The other tenant's exact vector as the query vector still finds only t2's chunks.
      const [secretVector] = await embedder.embed([secrets[0]!]);
      const byVector = await store.search({
        tenant: 't2',
        text: secrets[0]!,
        vector: secretVector!,
        topK: 10,
        mode: 'dense',
      });
      expect(byVector.every((result) => result.tenant === 't2')).toBe(true);
      // Tenant names that try to widen the filter match nothing.
      for (const tenant of ["t2' OR '1'='1", "t2' OR tenant = 't1", 't%', '*']) {
        for (const mode of modes) expect(await search(tenant, 'secret plans', mode, 10)).toEqual([]);
      }
    });

    it('keeps look-alike tenant names apart: case, whitespace, zero-width, quotes, filter syntax', async () => {
      // The client refuses such names; the store must still never mix them if one gets through.
      const tenants = [
        'acme', 'Acme', 'ACME', ' acme', 'acme ', 'acme\u200B', '\u200Bacme', "acme'", 'acme"', "acme' OR '1'='1",
        'acme%', 'acme_', 'acme*', 'аcme', 'tenant = "acme"', 'acme\\', 'acme;', 'acme\n',
      ];
      await Promise.all(tenants.map(async (tenant, index) =>
        store.upsert([await chunk(tenant, `doc-${index}`, 0, `quarterly shared report owned by owner${index}`)])));
      for (const [index, tenant] of tenants.entries()) {
        for (const mode of modes) {
          const results = await search(tenant, 'quarterly shared report owned', mode, 50);
          const label = `${JSON.stringify(tenant)} ${mode}`;
          expect({ label, found: results.map((result) => [result.tenant, result.documentId]) })
            .toEqual({ label, found: [[tenant, `doc-${index}`]] });
        }
        expect(await store.count(tenant)).toBe(1);
        expect(await store.hasTenant(tenant)).toBe(true);
      }
    });
  });
}
