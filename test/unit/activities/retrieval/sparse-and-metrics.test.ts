import { documentTerms, queryTerms } from '../../../../activities/retrieval/sparse-terms';
import { ndcgAt, rankOf, recallAt } from '../../../../bench/retrieval/ranking-metrics';

describe('sparse BM25 terms (Qdrant lexical vectors)', () => {
  it('weights repeated terms with saturation and folds simple plurals', () => {
    const terms = documentTerms('Workflows retry. The workflow retries workflows.');
    const query = queryTerms('workflow');
    const index = terms.indices.indexOf(query.indices[0]!);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(terms.values[index]).toBeCloseTo((3 * 2.2) / (3 + 1.2), 6);
    expect([...terms.indices].sort((a, b) => a - b)).toEqual(terms.indices);
    expect(queryTerms('the of and').indices).toEqual([]);
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
