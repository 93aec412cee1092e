import { join } from 'node:path';
import {
  encodeForLateInteraction, installedLateInteractionFiles, OnnxLateInteractionReranker,
} from '../../../../activities/retrieval/late-interaction-reranker';
import { WordPieceTokenizer } from '../../../../activities/retrieval/wordpiece-tokenizer';
import { localRerankerCases, rerankCandidate } from '../../../helpers/local-reranker-cases';

const projectRoot = join(__dirname, '..', '..', '..', '..');
const files = installedLateInteractionFiles(projectRoot);

function withModel(): void {
  let reranker: OnnxLateInteractionReranker;
  beforeAll(async () => {
    reranker = await OnnxLateInteractionReranker.load(files!, { threads: 1 });
  });
  afterAll(async () => {
    await reranker.close();
  });

  it('marks punctuation out of matching and keeps words, [CLS] and [SEP]', () => {
    const tokenizer = WordPieceTokenizer.fromFile(files!.vocabularyPath);
    const punctuation = new Set(['?', ',', '.'].map((mark) => tokenizer.encode(mark, 3).inputIds[1]!));
    const text = encodeForLateInteraction(tokenizer, 'Who, here?', 8, punctuation);
    expect(text.inputIds.map((id) => tokenizer.tokenOf(id))).toEqual(['[CLS]', 'who', ',', 'here', '?', '[SEP]']);
    expect(text.keep).toEqual([1, 1, 0, 1, 0, 1]);
  });

  it('ranks the passage that answers the question in other words above one about something else', async () => {
    // Token matching, not reading: a passage that repeats the question's words can still outrank the answer
    // (the cross-encoder's test has one; this model ranks it first).
    const question = 'How many people live in Berlin?';
    const elsewhere = rerankCandidate(
      'museums', 'Berlin is known for its museums, its nightlife and its many parks.', 2,
    );
    const answers = rerankCandidate('answer', 'The city has a population of 3.5 million registered inhabitants.', 1);
    const ranked = await reranker.rerank(question, [elsewhere, answers], 2);
    expect(ranked.map((candidate) => candidate.documentId)).toEqual(['answer', 'museums']);
    expect(ranked[0]!.score).toBeLessThanOrEqual(1);
    expect(ranked[1]!.score).toBeLessThan(ranked[0]!.score);
  });

  it('reads the title with the passage, as the store embeds it', async () => {
    const question = 'What is the capital of Australia?';
    const untitled = rerankCandidate('untitled', 'It has been the seat of government since 1927.', 2, 'Notes');
    const titled = rerankCandidate(
      'titled', 'It has been the seat of government since 1927.', 1, 'Canberra, capital of Australia',
    );
    const ranked = await reranker.rerank(question, [untitled, titled], 2);
    expect(ranked.map((candidate) => candidate.documentId)).toEqual(['titled', 'untitled']);
  });

  it('gives a passage the same score alone or among others (each text runs alone)', async () => {
    const question = 'What colour are bananas?';
    const [alone] = await reranker.score(question, ['Bananas are yellow when ripe.']);
    const among = await reranker.score(question, [
      'A much longer passage about fruit markets, prices, harvests and shipping across the world.',
      'Bananas are yellow when ripe.',
    ]);
    expect(among[1]).toBe(alone);
  });

  it('encodes a passage once and scores it the same from the cache', async () => {
    const fruit = 'Plantains are green before they ripen.';
    const before = reranker.passagesEncoded;
    const first = await reranker.score('What colour are plantains?', [fruit, 'Apples grow on trees.']);
    expect(reranker.passagesEncoded - before).toBe(2);
    await reranker.score('Where do apples grow?', [fruit, 'Cherries are red.']);
    expect(reranker.passagesEncoded - before).toBe(3);
    expect(await reranker.score('What colour are plantains?', [fruit])).toEqual([first[0]]);
    expect(reranker.passagesEncoded - before).toBe(3);
  });

  it("keeps each tenant's passages apart in the cache", async () => {
    const passage = rerankCandidate('shared', 'Quinces are yellow and hard when raw.', 1);
    const encodedFor = async (tenant: string) => {
      const before = reranker.passagesEncoded;
      await reranker.rerank('Which fruit is hard?', [{ ...passage, tenant }], 1);
      return reranker.passagesEncoded - before;
    };
    expect(await encodedFor('acme')).toBe(1);
    expect(await encodedFor('globex')).toBe(1);
    expect(await encodedFor('acme')).toBe(0);
  });

  it('drops the least recently used passage when the cache is full, and keeps none at 0', async () => {
    // Each passage below keeps 5 token states ([CLS], 3 words, [SEP]) of 384 floats, 7.5 KiB: 16 KiB hold two.
    const small = await OnnxLateInteractionReranker.load(files!, { threads: 1, cacheMiB: 1 / 64 });
    const none = await OnnxLateInteractionReranker.load(files!, { threads: 1, cacheMiB: 0 });
    try {
      const [first, second, third] = ['Bananas are yellow.', 'Apples are red.', 'Grapes are green.'];
      const encodedFor = async (model: OnnxLateInteractionReranker, passage: string) => {
        const before = model.passagesEncoded;
        await model.score('Which fruit is yellow?', [passage]);
        return model.passagesEncoded - before;
      };
      expect([await encodedFor(small, first), await encodedFor(small, second)]).toEqual([1, 1]);
      // Used again, the first is the most recent: the third pushes the second out.
      expect(await encodedFor(small, first)).toBe(0);
      expect(await encodedFor(small, third)).toBe(1);
      const [again, latest, pushedOut] = [first, third, second];
      expect([await encodedFor(small, again), await encodedFor(small, latest)]).toEqual([0, 0]);
      expect(await encodedFor(small, pushedOut)).toBe(1);
      expect([await encodedFor(none, first), await encodedFor(none, first)]).toEqual([1, 1]);
    } finally {
      await Promise.all([small.close(), none.close()]);
    }
  });

  localRerankerCases({
    load: (options) => OnnxLateInteractionReranker.load(files!, options),
    lazyInstalled: (root, options) => OnnxLateInteractionReranker.lazyInstalled(root, options),
    projectRoot,
  });
}

// The model comes with `npm install` (scripts/install-tools.mjs, reranker group), which may leave it out.
if (files) describe('OnnxLateInteractionReranker (answerai-colbert-small-v1, int8)', withModel);
else describe.skip('OnnxLateInteractionReranker: skipped, .tools/reranker has no model (run npm install)', withModel);
