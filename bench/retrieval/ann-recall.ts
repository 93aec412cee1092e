// Dense ANN index of the embedded LanceDB store: latency before/after, recall against exact search.
//   npx tsx bench/retrieval/ann-recall.ts [--size 100000] [--queries 200] [--batch 1024] [--index-min-rows N] [--keep]
// One tenant's table of --size chunks (hashing embedder, 384-d, texts as in scale.ts), then:
//  - "retrieval-ann-ingest": upsert throughput without an index, while the index is built in the
//    background, and into the indexed table (upkeep folding new rows in);
//  - "retrieval-ann-build": the index build's wall time, started by a write as the store does;
//  - "retrieval-ann-latency": dense, hybrid (and lexical, for reference) p50/p99, brute force
//    ("flat") and with the index;
//  - "retrieval-ann-recall": recall@10 of indexed dense search against the flat (exact) results.
// Prints JSON lines only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import type { EmbeddedChunk, SearchMode } from '../../activities/retrieval/vector-store';
import { seededRandom as random } from '../../test/helpers/seeded-random';
import { summarise } from '../stats';
import { corpusRowSchema, readJsonLines } from './read-jsonl';

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1]! : fallback;
};
const size = Number(option('--size', '100000'));
const queryCount = Number(option('--queries', '200'));
const batch = Number(option('--batch', '1024'));
const indexMinRows = args.includes('--index-min-rows') ? Number(option('--index-min-rows', '')) : undefined;
const tenant = 'tenant-0';
const embedder = new HashingEmbedder(384);
const emit = (line: object): void => {
  process.stdout.write(`${JSON.stringify({ chunks: size, dimensions: embedder.dimensions, ...line })}\n`);
};

const sentences = readJsonLines(join(root, '..', 'shared', 'eval', 'rag', 'corpus.jsonl'), corpusRowSchema)
  .flatMap((row) => row.text.split(/(?<=[.!?])\s+/))
  .filter((sentence) => sentence.length > 30);
const next = random(size);
const syntheticText = (): string => Array.from({ length: 3 + Math.floor(next() * 4) },
  () => sentences[Math.floor(next() * sentences.length)]!).join(' ');

async function makeChunks(from: number, count: number): Promise<EmbeddedChunk[]> {
  const texts = Array.from({ length: count }, syntheticText);
  const vectors = await embedder.embed(texts);
  return texts.map((text, offset) => ({
    id: `chunk-${from + offset}`, tenant, documentId: `doc-${Math.floor((from + offset) / 8)}`,
    chunkIndex: (from + offset) % 8, title: 'bench', source: 'bench', text, vector: vectors[offset]!,
  }));
}

/** Upserts `count` new chunks from `from` in batches; returns the seconds spent in upsert. */
async function ingest(store: LanceDbStore, from: number, count: number): Promise<number> {
  let seconds = 0;
  for (let start = from; start < from + count; start += batch) {
    const chunks = await makeChunks(start, Math.min(batch, from + count - start));
    const begun = performance.now();
    await store.upsert(chunks);
    seconds += (performance.now() - begun) / 1000;
  }
  return seconds;
}

async function latencies(
  store: LanceDbStore, queries: readonly string[], vectors: readonly number[][], index: string,
): Promise<string[][]> {
  const found: string[][] = [];
  for (const mode of ['dense', 'hybrid', 'lexical'] as SearchMode[]) {
    const times: number[] = [];
    for (const [position, text] of queries.entries()) {
      const begun = performance.now();
      const hits = await store.search({ tenant, text, vector: vectors[position], topK: 10, mode });
      times.push(performance.now() - begun);
      if (mode === 'dense') found.push(hits.map((hit) => hit.id));
    }
    emit({ bench: 'retrieval-ann-latency', index, mode, topK: 10, ...summarise(times) });
  }
  return found;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-bench-ann-'));
  try {
    // Without an index: the table as it is today, and exact (brute-force) dense results.
    let store = await LanceDbStore.open(directory, 'chunks', embedder.dimensions, { vectorIndexMinRows: Infinity });
    const flatSeconds = await ingest(store, 0, size);
    await store.optimize();
    emit({ bench: 'retrieval-ann-ingest', phase: 'no-index', batch, chunksPerSecond: Math.round(size / flatSeconds) });
    const queries = Array.from({ length: queryCount }, () => syntheticText().split(' ').slice(0, 8).join(' '));
    const vectors = await embedder.embed(queries);
    const exact = await latencies(store, queries, vectors, 'flat');
    await store.close();

    // The index, as the store builds it: started by a write once the table is over the threshold,
    // beside the writes that follow (re-upserts of stored chunks, so exact results do not change).
    store = await LanceDbStore.open(directory, 'chunks', embedder.dimensions, { vectorIndexMinRows: indexMinRows });
    const again = await makeChunksLike(0, batch);
    const begun = performance.now();
    await store.upsert(again);
    let rewritten = 0;
    let writeSeconds = 0;
    let building = true;
    const settled = store.vectorIndexesSettled().then(() => {
      building = false;
    });
    while (building) {
      const writeBegun = performance.now();
      await store.upsert(again);
      writeSeconds += (performance.now() - writeBegun) / 1000;
      rewritten += again.length;
    }
    await settled;
    const buildMs = performance.now() - begun;
    if (!(await store.hasVectorIndex(tenant))) throw new Error('no vector index was built');
    emit({ bench: 'retrieval-ann-build', index: 'hnsw-sq', buildMs: Math.round(buildMs) });
    emit({
      bench: 'retrieval-ann-ingest', phase: 'during-build', batch,
      chunksPerSecond: writeSeconds > 0 ? Math.round(rewritten / writeSeconds) : null,
    });
    await store.optimize();
    emit({ bench: 'retrieval-ann-table', phase: 'after-build', ...await store.tableStats(tenant) });
    const approximate = await latencies(store, queries, vectors, 'hnsw-sq');
    let hits = 0;
    approximate.forEach((ids, position) => {
      const truth = new Set(exact[position]);
      hits += ids.filter((id) => truth.has(id)).length;
    });
    emit({
      bench: 'retrieval-ann-recall', index: 'hnsw-sq', k: 10, queries: queryCount,
      recallAt10: Math.round((hits / (queryCount * 10)) * 10_000) / 10_000,
    });
    // New rows into the indexed table (searched flat until upkeep's optimize folds them in).
    const added = Math.min(size / 10, 10_000);
    const indexedSeconds = await ingest(store, size, added);
    emit({
      bench: 'retrieval-ann-ingest', phase: 'indexed', batch, chunks: size + added,
      chunksPerSecond: Math.round(added / indexedSeconds),
    });
    await store.close();
  } finally {
    if (args.includes('--keep')) process.stderr.write(`kept the table under ${directory}\n`);
    else rmSync(directory, { recursive: true, force: true });
  }
}

/** The stored chunks `from`..`from + count` again: same ids, texts and vectors (the PRNG is replayed). */
async function makeChunksLike(from: number, count: number): Promise<EmbeddedChunk[]> {
  const replay = random(size);
  const texts = Array.from({ length: from + count }, () => Array.from({ length: 3 + Math.floor(replay() * 4) },
    () => sentences[Math.floor(replay() * sentences.length)]!).join(' ')).slice(from);
  const vectors = await embedder.embed(texts);
  return texts.map((text, offset) => ({
    id: `chunk-${from + offset}`, tenant, documentId: `doc-${Math.floor((from + offset) / 8)}`,
    chunkIndex: (from + offset) % 8, title: 'bench', source: 'bench', text, vector: vectors[offset]!,
  }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
