import { join } from 'node:path';
import type { HeadReranker, LocalRerankerOptions } from '../../activities/retrieval/local-reranker';
import type { Reranker } from '../../activities/retrieval/reranker';
import type { ScoredChunk } from '../../contracts/retrieval';

// Cases every local reranker (activities/retrieval/local-reranker.ts) must pass, run by each one's test file.

export const rerankCandidate = (documentId: string, text: string, score: number, title = 'Berlin'): ScoredChunk => ({
  id: `${documentId}-0`, tenant: 'test', documentId, chunkIndex: 0, title, source: documentId, text, score,
});

export interface LocalRerankerUnderTest {
  load(options: LocalRerankerOptions): Promise<HeadReranker<{ id: number }>>;
  lazyInstalled(projectRoot: string, options?: LocalRerankerOptions): Reranker | undefined;
  projectRoot: string;
}

export function localRerankerCases(model: LocalRerankerUnderTest): void {
  it('scores only the first `depth` candidates and keeps the rest after them in their order', async () => {
    const shallow = await model.load({ threads: 1, depth: 1 });
    try {
      const candidates = [
        rerankCandidate('first', 'Paris is the capital of France.', 3),
        rerankCandidate('second', 'Berlin has about 3.5 million inhabitants.', 2),
        rerankCandidate('third', 'Bananas are yellow.', 1),
      ];
      const ranked = await shallow.rerank('How many people live in Berlin?', candidates, 2);
      expect(ranked.map((candidate) => [candidate.documentId, candidate.score > 0]))
        .toEqual([['first', true], ['second', false]]);
      expect(await shallow.rerank('anything', [], 5)).toEqual([]);
    } finally {
      await shallow.close();
    }
  });

  it('fails at once, with a typed error, when asked after its thread stopped', async () => {
    const closed = await model.load({ threads: 1 });
    await closed.close();
    await expect(closed.rerank('How many people live in Berlin?', [rerankCandidate('city', 'Berlin.', 1)], 1))
      .rejects.toMatchObject({ name: 'ModelThreadStoppedError' });
  });

  it('loads the installed model at its first use when lazy, and reads the unredacted question', async () => {
    const lazy = model.lazyInstalled(model.projectRoot, { threads: 1 })!;
    expect(lazy.inProcess).toBe(true);
    const candidates = [
      rerankCandidate('fruit', 'Bananas are yellow when ripe.', 2),
      rerankCandidate('city', 'Berlin has 3.5 million inhabitants.', 1),
    ];
    const ranked = await lazy.rerank('How many people live in Berlin?', candidates, 2);
    expect(ranked.map((candidate) => candidate.documentId)).toEqual(['city', 'fruit']);
    expect(model.lazyInstalled(join(model.projectRoot, 'nowhere'))).toBeUndefined();
  });
}
