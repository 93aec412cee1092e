import { bm25ReferenceLength, documentTerms, queryTerms } from '../../../../activities/retrieval/sparse-terms';
import { ndcgAt, rankOf, recallAt } from '../../../../bench/retrieval/ranking-metrics';

describe('sparse BM25 terms (Qdrant lexical vectors)', () => {
  const weightOf = (document: string, term: string): number => {
    const terms = documentTerms(document);
    return terms.values[terms.indices.indexOf(queryTerms(term).indices[0]!)] ?? 0;
  };

  it('weights repeated terms with BM25 saturation and length normalisation, and folds plurals', () => {
    const terms = documentTerms('Workflows retry. The workflow retries workflows.');
    const query = queryTerms('workflow');
    const index = terms.indices.indexOf(query.indices[0]!);
    expect(index).toBeGreaterThanOrEqual(0);
    // 5 content terms, 3 of them "workflow": tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)), k1 1.2, b 0.75.
    expect(terms.values[index]).toBeCloseTo((3 * 2.2) / (3 + 1.2 * (0.25 + (0.75 * 5) / bm25ReferenceLength)), 6);
    expect([...terms.indices].sort((a, b) => a - b)).toEqual(terms.indices);
    expect(queryTerms('the of and').indices).toEqual([]);
  });

  it('stems with Porter2, so every inflection of a word is one term', () => {
    for (const [a, b] of [
      ['process', 'processes'], ['process', 'processing'], ['processed', 'processes'], ['retries', 'retry'],
      ['policies', 'policy'],
    ]) {
      expect(queryTerms(a!).indices).toEqual(queryTerms(b!).indices);
    }
  });

  it('gives a term more weight in a short chunk than in a long one (length normalisation)', () => {
    const filler = Array.from({ length: 150 }, (_, index) => `filler${index}`).join(' ');
    expect(weightOf('refunds within five days', 'refunds'))
      .toBeGreaterThan(weightOf(`refunds within five days ${filler}`, 'refunds'));
  });
});

describe('ranking metrics of the quality bench', () => {
  it('ranks documents after collapsing repeated chunks of one document', () => {
    expect(rankOf(['a', 'a', 'b', 'c'], 'c')).toBe(3);
    expect(rankOf(['a'], 'z')).toBeUndefined();
  });

  it('computes recall@k and nDCG@k for one relevant document', () => {
    expect([recallAt(1, 1), recallAt(2, 1), recallAt(5, 5), recallAt(undefined, 5)]).toEqual([1, 0, 1, 0]);
    expect(ndcgAt(1, 10)).toBe(1);
    expect(ndcgAt(3, 10)).toBeCloseTo(0.5, 6);
    expect(ndcgAt(11, 10)).toBe(0);
  });
});
