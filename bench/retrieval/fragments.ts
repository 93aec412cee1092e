// Fragments and search latency of the embedded store as ingests accumulate without a manual optimize.
//   npx tsx bench/retrieval/fragments.ts [--ingests 5] [--queries 100] [--reingest]
// Ingests ../shared/eval/rag/corpus.jsonl N times as new documents (or, with --reingest, as new
// versions of the same ones), one document per call as the ingest activity does (upsert, then
// settle older versions), and never calls store.optimize(): small ingests stay below the
// workflow's optimizeAfterChunks, so only the store's own upkeep applies.
// Prints JSON lines:
//  - "retrieval-fragments": fragments of the tenant's table, hybrid search p50/p99 one at a time, and
//    the wall time of all queries at once, after each ingest;
//  - "retrieval-fragments-optimized": the same after one explicit optimize(), as the floor to compare with.
import * as lancedb from '@lancedb/lancedb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { ingestParsedDocument } from '../../activities/retrieval/ingest-document';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { tenantTableName } from '../../activities/retrieval/lancedb-tables';
import { summarise } from '../stats';
import { corpusRowSchema, questionRowSchema, readJsonLines } from './read-jsonl';

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1]! : fallback;
};
const ingests = Number(option('--ingests', '5'));
const queryCount = Number(option('--queries', '100'));
const reingest = args.includes('--reingest');
const tenant = 'bench';
const table = 'chunks';

/** Fragments of the tenant's table, read through a connection of its own (what is on disk now). */
async function fragments(directory: string): Promise<{ fragments: number; smallFragments: number; rows: number }> {
  const connection = await lancedb.connect(directory);
  const handle = await connection.openTable(tenantTableName(table, tenant));
  const stats = await handle.stats();
  handle.close();
  connection.close();
  return {
    fragments: stats.fragmentStats.numFragments, smallFragments: stats.fragmentStats.numSmallFragments,
    rows: stats.numRows,
  };
}

async function main(): Promise<void> {
  const corpus = readJsonLines(join(root, '..', 'shared', 'eval', 'rag', 'corpus.jsonl'), corpusRowSchema);
  const questions = readJsonLines(join(root, '..', 'shared', 'eval', 'rag', 'questions.jsonl'), questionRowSchema)
    .slice(0, queryCount);
  const embedder = new HashingEmbedder(384);
  const queryVectors = await embedder.embed(questions.map((question) => question.question));
  const directory = mkdtempSync(join(tmpdir(), 'sluice-bench-fragments-'));
  const store = await LanceDbStore.open(directory, table, embedder.dimensions);
  const hybridLatencies = async (): Promise<number[]> => {
    const latencies: number[] = [];
    for (const [index, question] of questions.entries()) {
      const begun = performance.now();
      await store.search({ tenant, text: question.question, vector: queryVectors[index], topK: 10, mode: 'hybrid' });
      latencies.push(performance.now() - begun);
    }
    return latencies;
  };
  // Every question at once, as concurrent asks reach retrieveContext: wall time until the last answer.
  const concurrentMs = async (): Promise<number> => {
    const begun = performance.now();
    await Promise.all(questions.map((question, index) => store.search({
      tenant, text: question.question, vector: queryVectors[index], topK: 10, mode: 'hybrid',
    })));
    return Math.round(performance.now() - begun);
  };
  try {
    for (let ingest = 1; ingest <= ingests; ingest += 1) {
      const begun = performance.now();
      for (const row of corpus) {
        // New documents each time, unless --reingest: then each ingest replaces the previous one's rows.
        const documentId = reingest ? row.id : `${row.id}@${ingest}`;
        const document = { documentId, title: row.title ?? row.id, text: row.text };
        await ingestParsedDocument({ store, embedder, version: ingest }, tenant, document);
      }
      const ingestMs = Math.round(performance.now() - begun);
      const { p50Ms, p99Ms } = summarise(await hybridLatencies());
      process.stdout.write(`${JSON.stringify({
        bench: 'retrieval-fragments', store: store.name, reingest, ingest, documents: corpus.length, ingestMs,
        ...(await fragments(directory)), hybridP50Ms: p50Ms, hybridP99Ms: p99Ms,
        [`concurrent${questions.length}Ms`]: await concurrentMs(),
      })}\n`);
    }
    await store.optimize();
    const { p50Ms, p99Ms } = summarise(await hybridLatencies());
    process.stdout.write(`${JSON.stringify({
      bench: 'retrieval-fragments-optimized', store: store.name, ingests, ...(await fragments(directory)),
      hybridP50Ms: p50Ms, hybridP99Ms: p99Ms, [`concurrent${questions.length}Ms`]: await concurrentMs(),
    })}\n`);
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
