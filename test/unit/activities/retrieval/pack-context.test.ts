import { packContext } from '../../../../activities/retrieval/pack-context';
import type { ScoredChunk } from '../../../../contracts/retrieval';

const passage = (id: string, text: string, score: number): ScoredChunk => ({ id, tenant: 't', documentId: `${id}.md`, chunkIndex: 0, title: id, source: `${id}.md`, text, score });

describe('packContext', () => {
  const long = 'Temporal persists every workflow event, so a crashed worker is replaced and the workflow resumes from history. '.repeat(4);

  it('keeps passages best first, with their citation fields and token costs', () => {
    const packed = packContext([passage('b', 'Second best passage about budgets.', 0.5), passage('a', 'Best passage about retries.', 0.9)], { tokenBudget: 500 });
    expect(packed.passages.map((kept) => [kept.documentId, kept.chunkIndex, kept.score])).toEqual([['a.md', 0, 0.9], ['b.md', 0, 0.5]]);
    expect(packed.passages.every((kept) => kept.tokens > 0)).toBe(true);
    expect(packed.totalTokens).toBe(packed.passages.reduce((sum, kept) => sum + kept.tokens, 0));
  });

  it('drops near-duplicates of a better passage', () => {
    const packed = packContext([passage('a', long, 0.9), passage('a2', `${long} Also.`, 0.8), passage('c', 'Budgets settle exactly once.', 0.7)], { tokenBudget: 1000 });
    expect(packed.passages.map((kept) => kept.id)).toEqual(['a', 'c']);
    expect(packed.droppedDuplicates).toEqual(['a2']);
  });

  it('stays under the budget, still fitting smaller passages after a big one misses', () => {
    const packed = packContext([passage('a', 'Short first.', 0.9), passage('big', long.repeat(3), 0.8), passage('c', 'Short third.', 0.7)], { tokenBudget: 60 });
    expect(packed.passages.map((kept) => kept.id)).toEqual(['a', 'c']);
    expect(packed.droppedOverBudget).toEqual(['big']);
    expect(packed.totalTokens).toBeLessThanOrEqual(60);
  });
});
