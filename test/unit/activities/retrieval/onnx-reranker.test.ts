import { join } from 'node:path';
import {
  encodePair, installedCrossEncoderFiles, OnnxCrossEncoderReranker,
} from '../../../../activities/retrieval/onnx-reranker';
import { WordPieceTokenizer } from '../../../../activities/retrieval/wordpiece-tokenizer';
import { localRerankerCases, rerankCandidate } from '../../../helpers/local-reranker-cases';

const projectRoot = join(__dirname, '..', '..', '..', '..');
const files = installedCrossEncoderFiles(projectRoot);

function withModel(): void {
  let reranker: OnnxCrossEncoderReranker;
  beforeAll(async () => {
    reranker = await OnnxCrossEncoderReranker.load(files!, { threads: 1 });
  });
  afterAll(async () => {
    await reranker.close();
  });

  it('encodes a pair as BERT does: [CLS] query [SEP] passage [SEP], passage cut to fit', () => {
    const tokenizer = WordPieceTokenizer.fromFile(files!.vocabularyPath);
    const pair = encodePair(tokenizer, 'Who lives here?', 'Berlin has many inhabitants and a long history.', 12, 64);
    expect(pair.inputIds.map((id) => tokenizer.tokenOf(id))).toEqual([
      '[CLS]', 'who', 'lives', 'here', '?', '[SEP]', 'berlin', 'has', 'many', 'inhabitants', 'and', '[SEP]',
    ]);
    expect(pair.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('ranks the passage that answers the question above one that only shares its words', async () => {
    const question = 'How many people live in Berlin?';
    const sharesWords = rerankCandidate(
      'words', 'How many people in Berlin live near a park? Many people in Berlin like to live in the city.', 2,
    );
    const answers = rerankCandidate(
      'answer',
      'The city has a population of 3,520,031 registered inhabitants in an area of 891.82 square kilometers.', 1,
    );
    const ranked = await reranker.rerank(question, [sharesWords, answers], 2);
    expect(ranked.map((candidate) => candidate.documentId)).toEqual(['answer', 'words']);
    expect(ranked[0]!.score).toBeGreaterThan(0.5);
    expect(ranked[0]!.score).toBeLessThanOrEqual(1);
    expect(ranked[1]!.score).toBeLessThan(ranked[0]!.score);
  });

  it('gives a passage the same score alone or among others', async () => {
    const question = 'What colour are bananas?';
    const [alone] = await reranker.score(question, ['Bananas are yellow when ripe.']);
    const among = await reranker.score(question, [
      'A much longer passage about fruit markets, prices, harvests and shipping across the world.',
      'Bananas are yellow when ripe.',
    ]);
    expect(among[1]).toBeCloseTo(alone!, 2);
  });

  localRerankerCases({
    load: (options) => OnnxCrossEncoderReranker.load(files!, options),
    lazyInstalled: (root, options) => OnnxCrossEncoderReranker.lazyInstalled(root, options),
    projectRoot,
  });
}

// The model comes with `npm install` (scripts/install-tools.mjs, reranker group), which may leave it out.
if (files) describe('OnnxCrossEncoderReranker (ms-marco-MiniLM-L-12-v2, int8)', withModel);
else describe.skip('OnnxCrossEncoderReranker: skipped, .tools/reranker has no model (run npm install)', withModel);
