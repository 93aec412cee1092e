import { packContext, packOptionsFor } from '../../../../activities/retrieval/pack-context';
import { reciprocalRankFusion } from '../../../../activities/retrieval/reciprocal-rank-fusion';
import type { ScoredChunk } from '../../../../contracts/retrieval';

const passage = (id: string, text: string, score: number): ScoredChunk => ({
  id, tenant: 't', documentId: `${id}.md`, chunkIndex: 0, title: id, source: `${id}.md`, text, score,
});

describe('packContext', () => {
  const long = 'Temporal persists every workflow event, so a crashed worker is replaced and the workflow resumes from history. '.repeat(4);

  it('keeps passages best first, with their citation fields and token costs', () => {
    const packed = packContext([
      passage('b', 'Second best passage about budgets.', 0.5), passage('a', 'Best passage about retries.', 0.9),
    ], { tokenBudget: 500 });
    expect(packed.passages.map((kept) => [kept.documentId, kept.chunkIndex, kept.score])).toEqual([['a.md', 0, 0.9], ['b.md', 0, 0.5]]);
    expect(packed.passages.every((kept) => kept.tokens > 0)).toBe(true);
    expect(packed.totalTokens).toBe(packed.passages.reduce((sum, kept) => sum + kept.tokens, 0));
  });

  it('drops near-duplicates of a better passage', () => {
    const packed = packContext([
      passage('a', long, 0.9), passage('a2', `${long} Also.`, 0.8), passage('c', 'Budgets settle exactly once.', 0.7),
    ], { tokenBudget: 1000 });
    expect(packed.passages.map((kept) => kept.id)).toEqual(['a', 'c']);
    expect(packed.droppedDuplicates).toEqual(['a2']);
  });

  it('stays under the budget, still fitting smaller passages after a big one misses', () => {
    const packed = packContext([
      passage('a', 'Short first.', 0.9), passage('big', long.repeat(3), 0.8), passage('c', 'Short third.', 0.7),
    ], { tokenBudget: 60 });
    expect(packed.passages.map((kept) => kept.id)).toEqual(['a', 'c']);
    expect(packed.droppedOverBudget).toEqual(['big']);
    expect(packed.totalTokens).toBeLessThanOrEqual(60);
  });
});

describe("packContext under a route's context policy", () => {
  const four = [
    passage('a', 'Retries back off exponentially.', 0.9), passage('b', 'Budgets settle exactly once.', 0.6),
    passage('c', 'Gates run before the model.', 0.45), passage('d', 'Reviewers decide within a deadline.', 0.2),
  ];
  const ids = (packed: ReturnType<typeof packContext>) => packed.passages.map((kept) => kept.id);

  it('keeps at most maxPassages, best first, and says which it left out', () => {
    const packed = packContext(four, packOptionsFor(1_000, { maxPassages: 2 }));
    expect(ids(packed)).toEqual(['a', 'b']);
    expect(packed.droppedByPolicy).toEqual(['c', 'd']);
  });

  it('counts maxPassages after near-duplicates are dropped', () => {
    const long = 'Temporal persists every workflow event, so a crashed worker resumes from history. '.repeat(3);
    const packed = packContext(
      [passage('a', long, 0.9), passage('a2', `${long} Also.`, 0.8), passage('c', 'Budgets settle.', 0.7)],
      packOptionsFor(1_000, { maxPassages: 2 }),
    );
    expect(ids(packed)).toEqual(['a', 'c']);
    expect(packed.droppedDuplicates).toEqual(['a2']);
  });

  it('drops passages under minRelativeScore of the best, keeping one exactly at the share', () => {
    const packed = packContext(four, packOptionsFor(1_000, { minRelativeScore: 0.5 }));
    expect(ids(packed)).toEqual(['a', 'b', 'c']);
    expect(packed.droppedByPolicy).toEqual(['d']);
    expect(ids(packContext([passage('x', 'One.', 0.8), passage('y', 'Two.', 0.4)], {
      tokenBudget: 1_000, minRelativeScore: 0.5,
    }))).toEqual(['x', 'y']);
  });

  it('ignores minRelativeScore when the best score gives no scale (zero or negative, as a logit)', () => {
    const logits = [passage('a', 'First.', -0.5), passage('b', 'Second.', -3), passage('c', 'Third.', -9)];
    expect(ids(packContext(logits, packOptionsFor(1_000, { minRelativeScore: 0.9 })))).toEqual(['a', 'b', 'c']);
  });

  it('on hybrid search, a share over one half keeps the passages both rankings found', () => {
    // Reciprocal rank fusion (k = 60) as both stores fuse: 'solo' is second in the lexical ranking and absent
    // from the dense one, so it scores 1/62 against the leader's 2/61, under 0.55 of it.
    const texts: Record<string, string> = {
      both1: 'Workers replay history.', solo: 'Invoices list totals.', both2: 'Queues pace providers.',
      both3: 'Caches expire entries.',
    };
    const fused = reciprocalRankFusion([['both1', 'solo', 'both2', 'both3'], ['both1', 'both2', 'both3']], (id) => id)
      .map(({ item, score }) => passage(item, texts[item]!, score));
    const packed = packContext(fused, packOptionsFor(1_000, { minRelativeScore: 0.55 }));
    expect(ids(packed)).toEqual(['both1', 'both2', 'both3']);
    expect(packed.droppedByPolicy).toEqual(['solo']);
  });

  it('lowers the token budget to maxTokens, never raises it', () => {
    expect(packOptionsFor(2_000, { maxTokens: 30 }).tokenBudget).toBe(30);
    expect(packOptionsFor(100, { maxTokens: 500 }).tokenBudget).toBe(100);
    const packed = packContext(four, packOptionsFor(2_000, { maxTokens: 30 }));
    expect(packed.totalTokens).toBeLessThanOrEqual(30);
    expect(packed.passages.length).toBeLessThan(four.length);
    expect(packed.droppedOverBudget.length).toBeGreaterThan(0);
  });

  it('without a policy packs exactly as before, recording nothing new', () => {
    expect(packOptionsFor(1_000, undefined)).toEqual({ tokenBudget: 1_000 });
    const packed = packContext(four, packOptionsFor(1_000, {}));
    expect(packed).toEqual(packContext(four, { tokenBudget: 1_000 }));
    expect(ids(packed)).toEqual(['a', 'b', 'c', 'd']);
    expect(packed).not.toHaveProperty('droppedByPolicy');
  });
});

describe("packContext under a route's focusSentences", () => {
  const question = 'How many electorates was Victoria divided into?';
  const victoria = [
    'Victoria is a state in the south-east of Australia.', 'Its capital is Melbourne.',
    'The state was divided into eight electorates.', 'Each elected five representatives.',
  ].join(' ');
  const candidates = [
    passage('v', victoria, 0.9),
    passage('w', 'Western Australia is the largest state. Its capital is Perth. It has many electorates too.', 0.5),
    passage('s', 'Short passage.', 0.3),
  ];

  it('cuts each passage to its question sentences, keeping the passage and its citation fields', () => {
    const packed = packContext(candidates, packOptionsFor(1_000, { focusSentences: 1 }, question));
    const [first, second, third] = packed.passages;
    expect(first).toEqual({ ...candidates[0], text: '... The state was divided into eight electorates. ...',
      tokens: first!.tokens });
    expect(second!.text).toBe('... It has many electorates too.');
    expect(third!.text).toBe('Short passage.');
    expect(packed.elidedByPolicy).toEqual({ v: 3, w: 2 });
    expect(packed.droppedByPolicy).toBeUndefined();
  });

  it('counts the tokens after the cut, so more passages fit maxTokens', () => {
    const whole = packContext(candidates, packOptionsFor(1_000, {}));
    const focused = packContext(candidates, packOptionsFor(1_000, { focusSentences: 1 }, question));
    expect(focused.totalTokens).toBe(focused.passages.reduce((sum, kept) => sum + kept.tokens, 0));
    expect(focused.totalTokens).toBeLessThan(whole.totalTokens);
    const budget = focused.passages[0]!.tokens + focused.passages[1]!.tokens;
    expect(packContext(candidates, packOptionsFor(1_000, { maxTokens: budget })).passages).toHaveLength(1);
    expect(packContext(candidates, packOptionsFor(1_000, { maxTokens: budget, focusSentences: 1 }, question))
      .passages.map((kept) => kept.id)).toEqual(['v', 'w']);
  });

  it('judges near-duplicates on the whole passages, not on their cuts', () => {
    const other = passage('x', `${victoria.replace('eight', 'seven')} Unrelated.`, 0.8);
    const packed = packContext([candidates[0]!, other], packOptionsFor(1_000, { focusSentences: 1 }, question));
    expect(packed.droppedDuplicates).toEqual(['x']);
  });

  it('needs the question, and without the field packs as before', () => {
    expect(() => packOptionsFor(1_000, { focusSentences: 2 })).toThrow('focusSentences needs the question');
    expect(packOptionsFor(1_000, { maxPassages: 2 }, question)).toEqual({ tokenBudget: 1_000, maxPassages: 2 });
    const packed = packContext(candidates, packOptionsFor(1_000, { maxPassages: 2 }, question));
    expect(packed.passages.map((kept) => kept.text)).toEqual([victoria, candidates[1]!.text]);
    expect(packed).not.toHaveProperty('elidedByPolicy');
  });
});
