import { lazyReranker, type ClosableReranker } from '../../../../activities/retrieval/local-reranker';
import { rerankCandidate } from '../../../helpers/local-reranker-cases';

/**
 * A loader whose rerankers fail as `failures` says, in load order; it counts its loads and closes. `hold`,
 * when set, keeps each rerank waiting until it is called.
 */
function countingLoader(failures: (Error | undefined)[] = []) {
  const loader = {
    loads: 0,
    closes: 0,
    hold: undefined as Promise<void> | undefined,
    load: async (): Promise<ClosableReranker> => {
      const failure = failures[loader.loads++];
      return {
        id: 'fake', inProcess: true,
        rerank: async (_query, candidates) => {
          await loader.hold;
          if (failure) throw failure;
          return [...candidates];
        },
        close: async () => {
          loader.closes += 1;
        },
      };
    },
  };
  return loader;
}

describe('lazyReranker', () => {
  const candidates = [rerankCandidate('a', 'Bananas are yellow.', 1)];

  it('is undefined without model files, and loads at the first rerank, once', async () => {
    expect(lazyReranker('fake', undefined, countingLoader([]).load)).toBeUndefined();
    const loader = countingLoader([]);
    const reranker = lazyReranker('fake', {}, loader.load)!;
    expect(loader.loads).toBe(0);
    await reranker.rerank('q', candidates, 1);
    await reranker.rerank('q', candidates, 1);
    expect(loader.loads).toBe(1);
  });

  it('keeps the loaded model when a rerank fails (a crashed model thread is restarted by OnnxWorker)', async () => {
    const loader = countingLoader([new Error('reranking model failed: bad input')]);
    const reranker = lazyReranker('fake', {}, loader.load)!;
    await expect(reranker.rerank('q', candidates, 1)).rejects.toThrow('bad input');
    await expect(reranker.rerank('q', candidates, 1)).rejects.toThrow('bad input');
    expect(loader.loads).toBe(1);
  });

  describe('unloading an idle model', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());
    const settle = () => jest.advanceTimersByTimeAsync(0);

    it('closes the model once no rerank has used it for idleUnloadMs, and loads it again at the next', async () => {
      const loader = countingLoader();
      const reranker = lazyReranker('fake', {}, loader.load, { idleUnloadMs: 60_000 })!;
      await reranker.rerank('q', candidates, 1);
      await jest.advanceTimersByTimeAsync(30_000);
      await reranker.rerank('q', candidates, 1);
      // 59 s after the last use: still loaded.
      await jest.advanceTimersByTimeAsync(59_000);
      expect(loader.closes).toBe(0);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(loader.closes).toBe(1);
      await reranker.rerank('q', candidates, 1);
      expect(loader.loads).toBe(2);
    });

    it('never closes a model while a rerank is using it', async () => {
      const loader = countingLoader();
      const reranker = lazyReranker('fake', {}, loader.load, { idleUnloadMs: 1_000 })!;
      await reranker.rerank('q', candidates, 1);
      let release = () => undefined as void;
      loader.hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow = reranker.rerank('q', candidates, 1);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(loader.closes).toBe(0);
      release();
      await slow;
      await settle();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(loader.closes).toBe(1);
    });

    it('keeps the model without idleUnloadMs', async () => {
      const loader = countingLoader();
      const reranker = lazyReranker('fake', {}, loader.load)!;
      await reranker.rerank('q', candidates, 1);
      await jest.advanceTimersByTimeAsync(24 * 3600_000);
      expect(loader.closes).toBe(0);
    });
  });
});
