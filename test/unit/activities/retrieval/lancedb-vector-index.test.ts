import * as lancedb from '@lancedb/lancedb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import { maxVectorIndexSegments } from '../../../../activities/retrieval/lancedb-upkeep';
import { tenantTableName } from '../../../../activities/retrieval/lancedb-tables';
import type { EmbeddedChunk } from '../../../../activities/retrieval/vector-store';
import { seededRandom } from '../../../helpers/seeded-random';

const embedder = new HashingEmbedder(128);
const tenant = 'acme';
const threshold = 2_000;
const vocabulary = Array.from({ length: 600 }, (_, index) => `w${index.toString(36)}x`);
const directories: string[] = [];

function freshDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-vector-index-'));
  directories.push(directory);
  return directory;
}

const next = seededRandom(42);
const sentence = (words: number): string =>
  Array.from({ length: words }, () => vocabulary[Math.floor(next() * vocabulary.length)]!).join(' ');

async function chunks(from: number, count: number, text = (): string => sentence(12)): Promise<EmbeddedChunk[]> {
  const texts = Array.from({ length: count }, text);
  const vectors = await embedder.embed(texts);
  return texts.map((chunkText, offset) => ({
    id: `c-${from + offset}`, tenant, documentId: `doc-${from + offset}`, chunkIndex: 0, title: 't',
    source: 's', text: chunkText, vector: vectors[offset]!,
  }));
}

/** The ids of the `k` stored chunks nearest `vector` by cosine, computed here (vectors are unit length). */
function exactTop(stored: readonly EmbeddedChunk[], vector: readonly number[], k: number): string[] {
  const dot = (other: readonly number[]): number =>
    other.reduce((sum, value, index) => sum + value * vector[index]!, 0);
  return stored.map((chunk) => ({ id: chunk.id, score: dot(chunk.vector) }))
    .sort((a, b) => b.score - a.score).slice(0, k).map(({ id }) => id);
}

afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

describe('LanceDB store vector index', () => {
  it('builds the index past its row threshold, keeps recall@10 ≥ 0.95, and finds rows added after it', async () => {
    const failures: unknown[] = [];
    const directory = freshDirectory();
    const store = await LanceDbStore.open(directory, 'chunks', embedder.dimensions, {
      vectorIndexMinRows: threshold, onOptimizeError: (error) => failures.push(error),
    });
    try {
      const stored: EmbeddedChunk[] = [];
      // Below the threshold: no index, dense search is brute force.
      for (let batch = 0; batch < 10; batch += 1) {
        const written = await chunks(stored.length, 250);
        await store.upsert(written);
        stored.push(...written);
        if (stored.length < threshold) expect(await store.hasVectorIndex(tenant)).toBe(false);
      }
      // The build runs beside the writes above; searches and writes keep working meanwhile.
      await store.vectorIndexesSettled();
      expect(failures).toEqual([]);
      expect(await store.hasVectorIndex(tenant)).toBe(true);
      expect(await store.count(tenant)).toBe(stored.length);

      const queries = Array.from({ length: 100 }, () => sentence(6));
      const queryVectors = await embedder.embed(queries);
      let hits = 0;
      for (const vector of queryVectors) {
        const exact = new Set(exactTop(stored, vector, 10));
        const found = await store.search({ tenant, text: '', vector, topK: 10, mode: 'dense' });
        hits += found.filter((chunk) => exact.has(chunk.id)).length;
      }
      expect(hits / (queryVectors.length * 10)).toBeGreaterThanOrEqual(0.95);

      // Rows written after the index was built are searched too (flat), before and after an optimize.
      const late = await chunks(stored.length, 5, () => `late ${sentence(10)}`);
      await store.upsert(late);
      const connection = await lancedb.connect(directory, { readConsistencyInterval: 0 });
      const table = await connection.openTable(tenantTableName('chunks', tenant));
      const unindexed = async (): Promise<number | undefined> => {
        const index = (await table.listIndices()).find((config) => config.columns.includes('vector'));
        return (await table.indexStats(index!.name))?.numUnindexedRows;
      };
      expect(await unindexed()).toBeGreaterThanOrEqual(late.length);
      for (const phase of ['unindexed', 'optimized']) {
        if (phase === 'optimized') {
          await store.optimize();
          expect(await unindexed()).toBe(0);
        }
        for (const chunk of late) {
          const [best] = await store.search({ tenant, text: chunk.text, vector: chunk.vector, topK: 1, mode: 'dense' });
          expect({ phase, id: best?.id }).toEqual({ phase, id: chunk.id });
        }
      }
      table.close();
      expect(await store.hasVectorIndex(tenant)).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('builds the index again as one graph once optimizes have split it into too many segments', async () => {
    const failures: unknown[] = [];
    const directory = freshDirectory();
    const store = await LanceDbStore.open(directory, 'chunks', embedder.dimensions, {
      vectorIndexMinRows: threshold, onOptimizeError: (error) => failures.push(error),
    });
    const connection = await lancedb.connect(directory, { readConsistencyInterval: 0 });
    try {
      const stored: EmbeddedChunk[] = [];
      for (let batch = 0; batch < 8; batch += 1) stored.push(...await chunks(stored.length, 250));
      await store.upsert(stored);
      await store.vectorIndexesSettled();
      const table = await connection.openTable(tenantTableName('chunks', tenant));
      const segments = async (): Promise<number> =>
        (await table.listIndices()).find((config) => config.columns.includes('vector'))!.numSegments!;
      expect(await segments()).toBe(1);
      // Each optimize folds the rows written since into a segment of their own.
      const seen: number[] = [];
      for (let round = 0; round < 8; round += 1) {
        const written = await chunks(stored.length, 250);
        await store.upsert(written);
        stored.push(...written);
        await store.optimize(tenant);
        await store.vectorIndexesSettled();
        seen.push(await segments());
      }
      expect(failures).toEqual([]);
      // Rebuilt as one graph (the count drops); between rebuilds the table must grow by a quarter, so
      // a segment or two more may come first. Without rebuilds this count reaches 9.
      expect(seen.slice(1).some((count, index) => count < seen[index]!)).toBe(true);
      expect(Math.max(...seen)).toBeLessThanOrEqual(maxVectorIndexSegments + 2);
      // The rebuilt index still finds every row, including the latest ones.
      for (const chunk of stored.slice(-3)) {
        const [best] = await store.search({ tenant, text: chunk.text, vector: chunk.vector, topK: 1, mode: 'dense' });
        expect(best?.id).toBe(chunk.id);
      }
      table.close();
    } finally {
      await store.close();
    }
  }, 120_000);
});
