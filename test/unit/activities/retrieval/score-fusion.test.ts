import { reciprocalRankFusion } from '../../../../activities/retrieval/reciprocal-rank-fusion';
import { defaultDenseWeight, weightedScoreFusion } from '../../../../activities/retrieval/score-fusion';

interface Hit {
  id: string;
  score: number;
}

const hits = (...entries: [string, number][]): Hit[] => entries.map(([id, score]) => ({ id, score }));
const fuse = (lexical: Hit[], dense: Hit[], denseWeight: number) => weightedScoreFusion([
  { items: lexical, scoreOf: (hit) => hit.score, weight: 1, floor: 0 },
  { items: dense, scoreOf: (hit) => hit.score, weight: denseWeight },
], (hit) => hit.id);
const ids = (fused: { item: Hit }[]) => fused.map(({ item }) => item.id);

describe('weightedScoreFusion', () => {
  // BM25 puts "exact" far ahead; a weak dense model mildly prefers two other chunks.
  const lexical = hits(['exact', 9], ['near', 3], ['far', 2.5]);
  const dense = hits(['near', 0.62], ['far', 0.6], ['exact', 0.55], ['other', 0.5]);

  it('keeps a clear lexical winner first where equal-weight rank fusion lets the dense ranking overturn it', () => {
    expect(ids(reciprocalRankFusion([lexical, dense], (hit) => hit.id))[0]).toBe('near');
    expect(ids(fuse(lexical, dense, 0.5))[0]).toBe('exact');
  });

  it('lets a heavier dense ranking decide between close lexical scores', () => {
    const close = hits(['a', 5], ['b', 4.9]);
    const sure = hits(['b', 0.9], ['a', 0.2], ['c', 0.1]);
    expect(ids(fuse(close, sure, 1)).slice(0, 2)).toEqual(['b', 'a']);
    expect(ids(fuse(close, sure, 0))).toEqual(['a', 'b', 'c']);
  });

  it('ranks the one chunk a rare query term matched above everything only the dense ranking found', () => {
    // A single lexical hit standardises to 0 over itself; against the BM25 floor of 0 it stands out.
    const fused = fuse(hits(['rare', 7]), hits(['x', 0.4], ['y', 0.35], ['rare', 0.33], ['z', 0.3]), 0.5);
    expect(ids(fused)[0]).toBe('rare');
  });

  it('scores best first down to 0 for the weakest, and uses the dense ranking alone without lexical hits', () => {
    const fused = fuse(lexical, dense, 0.5);
    expect(fused.map(({ score }) => score)).toEqual([...fused.map(({ score }) => score)].sort((a, b) => b - a));
    expect(fused.at(-1)!.score).toBe(0);
    expect(ids(fuse([], dense, 0.5))).toEqual(['near', 'far', 'exact', 'other']);
  });

  it('defaults the dense weight by the embedder id a table or collection name carries', () => {
    expect(defaultDenseWeight('chunks_hashing_256')).toBe(0);
    expect(defaultDenseWeight('chunks_all_minilm_l6_v2_int8')).toBeGreaterThan(0);
  });
});

describe('reciprocalRankFusion with weights', () => {
  it('scales each ranking by its weight, 1 when none is given', () => {
    const fused = reciprocalRankFusion([['a', 'b'], ['b', 'a']], (id) => id, 60, [1, 0.5]);
    expect(fused.map(({ item }) => item)).toEqual(['a', 'b']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 0.5 / 62);
    expect(reciprocalRankFusion([['a'], ['a']], (id) => id)[0]!.score).toBeCloseTo(2 / 61);
  });
});
