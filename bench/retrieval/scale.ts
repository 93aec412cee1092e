// Ingest throughput and search latency of the embedded LanceDB store at 10k and 100k chunks.
//   npx tsx bench/retrieval/scale.ts [--sizes 10000,100000] [--queries 200] [--pipeline-sample 256]
//       [--embedders minilm,bge-small] [--sessions N]   (`--sizes 0` runs only the pipeline lines)
// --sessions: model sessions embedding side by side (SLUICE_EMBEDDING_SESSIONS), default 1.
// Prints JSON lines:
//  - "retrieval-store-ingest": store upsert throughput (chunks/s) with precomputed vectors, in
//    batches as the ingest activity writes them, index upkeep (periodic optimize) included;
//    finalOptimizeMs includes waiting for the background vector index builds of tables that
//    reached the store's threshold (10k rows: at 100k chunks each of the 10 tenants reaches it);
//    bench/retrieval/ann-recall.ts measures that index (latency, recall, build time) on one table;
//  - "retrieval-search-latency": p50/p99 per search mode over random tenants of 10;
//  - "retrieval-pipeline-ingest": the whole per-document path (chunk, embed, upsert, drop old
//    versions) on a sample, per embedder: the embedder dominates, so it is measured on a sample
//    and reported separately rather than extrapolated; with the query-embedding latency and, for a
//    model, the process's resident memory it adds (loading and warm-up, then after the sample).
// Chunk texts are sentences of ../shared/eval/rag/corpus.jsonl recombined by a seeded PRNG.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../../activities/retrieval/embedder';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { ingestParsedDocument } from '../../activities/retrieval/ingest-document';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { OnnxEmbedder } from '../../activities/retrieval/onnx-embedder';
import {
  loadSentenceModel, sentenceModelNames, type SentenceModelName,
} from '../../activities/retrieval/sentence-models';
import { chunkPointId } from '../../activities/retrieval/point-id';
import type { EmbeddedChunk, SearchMode } from '../../activities/retrieval/vector-store';
import { summarise } from '../stats';
import { corpusRowSchema, readJsonLines } from './read-jsonl';
import { seededRandom as random } from '../../test/helpers/seeded-random';

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1]! : fallback;
};
const sizes = option('--sizes', '10000,100000').split(',').map(Number).filter((size) => size > 0);
const models = option('--embedders', 'minilm').split(',').map((name) => {
  if (!(sentenceModelNames as readonly string[]).includes(name)) throw new Error(`unknown model ${name}`);
  return name as SentenceModelName;
});
const queryCount = Number(option('--queries', '200'));
const pipelineSample = Number(option('--pipeline-sample', '256'));
const sessions = Number(option('--sessions', '1'));
const tenants = Array.from({ length: 10 }, (_, index) => `tenant-${index}`);
const modes: SearchMode[] = ['lexical', 'dense', 'hybrid'];
const upsertBatch = 64; // what the ingest activity writes per call


const sentences = readJsonLines(join(root, '..', 'shared', 'eval', 'rag', 'corpus.jsonl'), corpusRowSchema)
  .flatMap((row) => row.text.split(/(?<=[.!?])\s+/))
  .filter((sentence) => sentence.length > 30);

function syntheticText(next: () => number): string {
  return Array.from({ length: 3 + Math.floor(next() * 4) }, () => sentences[Math.floor(next() * sentences.length)]!).join(' ');
}

async function storeBench(size: number, embedder: Embedder): Promise<void> {
  const next = random(size);
  const directory = mkdtempSync(join(tmpdir(), 'sluice-bench-scale-'));
  const store = await LanceDbStore.open(directory, 'chunks', embedder.dimensions);
  let upsertMs = 0;
  for (let start = 0; start < size; start += upsertBatch * 16) {
    const texts = Array.from({ length: Math.min(upsertBatch * 16, size - start) }, () => syntheticText(next));
    const vectors = await embedder.embed(texts);
    const chunks: EmbeddedChunk[] = texts.map((text, offset) => {
      const index = start + offset;
      const tenant = tenants[index % tenants.length]!;
      const documentId = `doc-${Math.floor(index / 8)}`;
      return {
        id: chunkPointId(tenant, documentId, index % 8, text), tenant, documentId, chunkIndex: index % 8,
        title: documentId, source: documentId, text, vector: vectors[offset]!,
      };
    });
    for (let offset = 0; offset < chunks.length; offset += upsertBatch) {
      const begun = performance.now();
      await store.upsert(chunks.slice(offset, offset + upsertBatch));
      upsertMs += performance.now() - begun;
    }
  }
  const optimizeStart = performance.now();
  await store.optimize();
  const optimizeMs = performance.now() - optimizeStart;
  process.stdout.write(`${JSON.stringify({
    bench: 'retrieval-store-ingest', store: store.name, chunks: size, batch: upsertBatch, dimensions: embedder.dimensions,
    chunksPerSecond: Math.round(size / (upsertMs / 1000)), finalOptimizeMs: Math.round(optimizeMs),
  })}\n`);

  const queries = Array.from({ length: queryCount }, () => syntheticText(next).split(' ').slice(0, 8).join(' '));
  const queryVectors = await embedder.embed(queries);
  for (const mode of modes) {
    const latencies: number[] = [];
    for (const [index, text] of queries.entries()) {
      const tenant = tenants[Math.floor(next() * tenants.length)]!;
      const begun = performance.now();
      await store.search({ tenant, text, vector: queryVectors[index], topK: 10, mode });
      latencies.push(performance.now() - begun);
    }
    process.stdout.write(`${JSON.stringify({
      bench: 'retrieval-search-latency', store: store.name, chunks: size, tenants: tenants.length, mode, topK: 10,
      ...summarise(latencies),
    })}\n`);
  }
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}

const mebibytes = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** `rssBeforeModel`, `rssAfterLoad`: resident memory before loading a model and after its warm-up. */
async function pipelineBench(embedder: Embedder, rssBeforeModel?: number, rssAfterLoad?: number): Promise<void> {
  const next = random(7);
  const directory = mkdtempSync(join(tmpdir(), 'sluice-bench-pipeline-'));
  const store = await LanceDbStore.open(directory, 'chunks', embedder.dimensions);
  // Documents of about eight chunks each, as a mid-sized Markdown page gives.
  const documents = Array.from({ length: Math.ceil(pipelineSample / 8) }, (_, index) => ({
    documentId: `page-${index}.md`, title: `page ${index}`,
    text: Array.from({ length: 8 }, (_, section) => `## Section ${section}\n\n${syntheticText(next)} ${syntheticText(next)}`).join('\n\n'),
  }));
  let chunks = 0;
  const begun = performance.now();
  for (const document of documents) chunks += (await ingestParsedDocument({ store, embedder }, 'tenant-0', document)).chunks;
  const seconds = (performance.now() - begun) / 1000;
  const queryMs: number[] = [];
  for (let index = 0; index < 50; index++) {
    const query = [syntheticText(next).split(' ').slice(0, 10).join(' ')];
    const queryBegun = performance.now();
    await (embedder instanceof OnnxEmbedder ? embedder.embedQueries(query) : embedder.embed(query));
    queryMs.push(performance.now() - queryBegun);
  }
  const { p50Ms, p99Ms, meanMs } = summarise(queryMs);
  process.stdout.write(`${JSON.stringify({
    bench: 'retrieval-pipeline-ingest', store: store.name, embedder: embedder.id,
    ...(embedder instanceof OnnxEmbedder ? { sessions } : {}), documents: documents.length, chunks,
    chunksPerSecond: Math.round((chunks / seconds) * 10) / 10,
    queryEmbedMs: { p50: p50Ms, p99: p99Ms, mean: meanMs },
    ...(rssBeforeModel !== undefined && rssAfterLoad !== undefined ? {
      modelRssMiB: {
        afterLoad: mebibytes(rssAfterLoad - rssBeforeModel),
        afterSample: mebibytes(process.memoryUsage().rss - rssBeforeModel),
      },
    } : {}),
  })}\n`);
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}

async function main(): Promise<void> {
  // Store numbers use the hashing embedder's 384-d vectors (MiniLM's width) so that 100k chunks
  // do not wait on the model; the store's work does not depend on where vectors come from.
  const fast = new HashingEmbedder(384);
  for (const size of sizes) await storeBench(size, fast);
  await pipelineBench(fast);
  for (const model of models) {
    const before = process.memoryUsage().rss;
    const onnx = await loadSentenceModel(root, model, { sessions }); // loads the model, embeds a warm-up text
    if (!onnx) continue;
    await pipelineBench(onnx, before, process.memoryUsage().rss);
    await onnx.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
