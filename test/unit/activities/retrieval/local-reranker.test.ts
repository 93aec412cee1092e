import { lazyReranker } from '../../../../activities/retrieval/local-reranker';
import type { Reranker } from '../../../../activities/retrieval/reranker';
import { rerankCandidate } from '../../../helpers/local-reranker-cases';

/** A loader whose rerankers fail as `failures` says, in load order; it counts its loads. */
function countingLoader(failures: (Error | undefined)[]) {
  const loader = {
    loads: 0,
    load: async (): Promise<Reranker> => {
      const failure = failures[loader.loads++];
      return {
        id: 'fake', inProcess: true,
        rerank: async (_query, candidates) => {
          if (failure) throw failure;
          return [...candidates];
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
});
