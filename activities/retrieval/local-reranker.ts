import type { ScoredChunk } from '../../contracts/retrieval';
import type { OnnxWorker } from './onnx-worker';
import type { Reranker } from './reranker';

// What the rerankers run in the worker's own process share: scoring a head of the first-stage ranking in
// a model thread, and loading the model at its first use.

/** Options every local reranker takes. */
export interface LocalRerankerOptions {
  /** Names the model in results and logs. @default the model's own id */
  id?: string;
  /**
   * Candidates scored, taken from the head of the first-stage ranking; the rest follow them in their own
   * order with score 0. This bounds a search's latency whatever candidate pool the caller passes.
   * @default 5 (chosen on the tuning split of the RAG eval)
   */
  depth?: number;
  /** onnxruntime intra-op threads. @default min(4, available cores) */
  threads?: number;
  /** A model loaded at its first use (`lazyInstalled`) is closed after this long unused; 0 or absent keeps it. */
  idleUnloadMs?: number;
}

/** The text a local reranker reads for a candidate: its title with its text, as the store embeds it. */
export const passageOf = (candidate: ScoredChunk): string => `${candidate.title}\n${candidate.text}`;

/** A model thread's reply: its request's id, and an error when the run failed. */
interface ModelReply {
  id: number;
  error?: string;
}

/** A reranker that scores the head of a ranking with a model in a worker thread. */
export abstract class HeadReranker<R extends ModelReply> implements Reranker {
  readonly inProcess = true;
  protected readonly depth: number;

  protected constructor(readonly id: string, protected readonly worker: OnnxWorker<R>, options: LocalRerankerOptions) {
    this.depth = options.depth ?? 5;
  }

  /**
   * Relevance of each passage to the query, in the passages' order (higher is better). `scope` names whose
   * passages they are (the tenant), for a model that keeps anything about them between calls.
   */
  abstract score(query: string, passages: readonly string[], scope?: string): Promise<number[]>;

  /**
   * The first `depth` candidates reordered by their scores; the rest follow in their own order with score 0,
   * below any head score. Cut to `topK`.
   */
  async rerank(query: string, candidates: readonly ScoredChunk[], topK: number): Promise<ScoredChunk[]> {
    if (candidates.length === 0 || topK <= 0) return [];
    const head = candidates.slice(0, this.depth);
    const scores = await this.score(query, head.map(passageOf), head[0]!.tenant);
    const reranked = head
      .map((candidate, index) => ({ ...candidate, score: scores[index]! }))
      .sort((a, b) => b.score - a.score);
    const unscored = candidates.slice(this.depth).map((candidate) => ({ ...candidate, score: 0 }));
    return [...reranked, ...unscored].slice(0, topK);
  }

  /** Stops the model thread. */
  async close(): Promise<void> {
    await this.worker.close();
  }

  /** Scores one passage so a broken model file fails at load, not mid-search; the thread stops if it does. */
  protected static async warmedUp<T extends HeadReranker<ModelReply>>(reranker: T): Promise<T> {
    try {
      await reranker.score('warm up', ['warm up']);
    } catch (error) {
      await reranker.close();
      throw error;
    }
    return reranker;
  }
}

/** A loaded reranker that can be stopped (its model thread ended). */
export type ClosableReranker = Reranker & { close(): Promise<void> };

/**
 * A reranker whose model loads at its first use (~55 MiB more in a worker that runs the embedder, and most
 * workers never rerank), or undefined when its files are not installed. A failed load is tried again at the
 * next use; a model thread that crashes is restarted by OnnxWorker itself. With `idleUnloadMs`, a model no
 * rerank has used for that long is closed, giving most of its memory back, and loads again at the next use.
 */
export function lazyReranker<F>(
  id: string, files: F | undefined, load: (files: F) => Promise<ClosableReranker>,
  options: { idleUnloadMs?: number } = {},
): Reranker | undefined {
  if (!files) return undefined;
  let loading: Promise<ClosableReranker> | undefined;
  let inFlight = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  const loaded = () => (loading ??= load(files).catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
  const unloadWhenIdle = (idleUnloadMs: number) => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (inFlight > 0 || !loading) return;
      const current = loading;
      loading = undefined;
      void current.then((reranker) => reranker.close()).catch(() => undefined);
    }, idleUnloadMs);
    idleTimer.unref();
  };
  return {
    id,
    inProcess: true,
    rerank: async (query, candidates, topK) => {
      inFlight += 1;
      try {
        return await (await loaded()).rerank(query, candidates, topK);
      } finally {
        inFlight -= 1;
        if (inFlight === 0 && options.idleUnloadMs) unloadWhenIdle(options.idleUnloadMs);
      }
    },
  };
}
