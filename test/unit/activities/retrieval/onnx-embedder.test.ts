import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedMiniLmFiles, OnnxEmbedder } from '../../../../activities/retrieval/onnx-embedder';
import { splitSentences } from '../../../../activities/split-sentences';
import { WordPieceTokenizer } from '../../../../activities/retrieval/wordpiece-tokenizer';

const root = join(__dirname, '..', '..', '..', '..');
const files = installedMiniLmFiles(root);
const cosine = (a: number[], b: number[]): number => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

// The model is installed by `npm install` (scripts/install-tools.mjs); CI always has it.
(files ? describe : describe.skip)('OnnxEmbedder (all-MiniLM-L6-v2, int8)', () => {
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.load(files!);
  });

  it('tokenizes with the model vocabulary as BERT does', () => {
    const tokenizer = WordPieceTokenizer.fromFile(files!.vocabularyPath);
    const ids = tokenizer.encode('Temporal replays the workflow history.', 32).inputIds;
    expect(ids[0]).toBe(101);
    expect(ids.at(-1)).toBe(102);
    expect(ids.map((id) => tokenizer.tokenOf(id))).toEqual(['[CLS]', 'temporal', 'replay', '##s', 'the', 'work', '##flow', 'history', '.', '[SEP]']);
  });

  it('returns unit-length 384-dimensional vectors, the same for the same text in any batch', async () => {
    // No recent vectors here: the model itself must give a text the same vector beside any other.
    const uncached = await OnnxEmbedder.load(files!, { recentVectors: 0 });
    try {
      const [alone] = await uncached.embed(['A man is eating food.']);
      const batch = await uncached.embed([
        'Something much longer that forces padding in the batch, with many more tokens.', 'A man is eating food.',
      ]);
      expect(alone).toHaveLength(384);
      expect(Math.hypot(...alone!)).toBeCloseTo(1, 5);
      for (let index = 0; index < 384; index++) expect(batch[1]![index]).toBeCloseTo(alone![index]!, 4);
    } finally {
      await uncached.close();
    }
  });

  it('serves a text embedded lately from its recent vectors, exactly, and runs the model for the others', async () => {
    const question = 'Which vector store does production use?';
    const [first] = await embedder.embed([question]);
    type Model = { embedAll(texts: readonly string[]): Promise<number[][]> };
    const ran = jest.spyOn(embedder as unknown as Model, 'embedAll');
    try {
      const [again, other] = await embedder.embed([question, 'How are rate limits retried?']);
      expect(again).toEqual(first);
      expect(ran.mock.calls).toEqual([[['How are rate limits retried?']]]);
      expect(cosine(again!, other!)).toBeLessThan(0.99);
    } finally {
      ran.mockRestore();
    }
  });

  it('orders sentences by meaning as the published model does', async () => {
    const [food, bread, horse, baby] = await embedder.embed([
      'A man is eating food.', 'A man is eating a piece of bread.', 'A man is riding a horse.',
      'The girl is carrying a baby.',
    ]);
    // sentence-transformers reports about 0.75 for the first pair with the fp32 model.
    expect(cosine(food!, bread!)).toBeGreaterThan(0.65);
    expect(cosine(food!, bread!)).toBeGreaterThan(cosine(food!, horse!));
    expect(cosine(food!, horse!)).toBeGreaterThan(cosine(food!, baby!));
  });

  it('matches a question to its answer without shared words', async () => {
    const [question, answer, other] = await embedder.embed([
      'What happens when a worker process crashes?',
      'If the machine running the job dies, another one resumes it from the recorded event log.',
      'Invoices are payable within thirty days of receipt.',
    ]);
    expect(cosine(question!, answer!)).toBeGreaterThan(cosine(question!, other!));
  });

  it('embeds side by side in two sessions and returns the vectors in the texts\' order', async () => {
    const texts = Array.from({ length: 9 }, (_, index) =>
      `Paragraph ${index}: ${'the worker resumes the run from its history '.repeat(index % 4 + 1)}`);
    const two = await OnnxEmbedder.load(files!, { sessions: 2, threads: 2 });
    try {
      const [alone, sideBySide] = [await embedder.embed(texts), await two.embed(texts)];
      expect(sideBySide).toHaveLength(texts.length);
      sideBySide.forEach((vector, row) => expect(cosine(vector, alone[row]!)).toBeGreaterThan(0.9999));
    } finally {
      await two.close();
    }
  });

  // Both files keep the embedder's id, so vectors from either mix in one table: the re-quantised model
  // (scripts/quantize-embedder.py) must agree with the packaged one on questions and on whole passages.
  (files?.quantisedPerRun ? it : it.skip)('agrees with the packaged model on questions and passages', async () => {
    const corpus = join(root, 'examples', 'corpus');
    const paragraphs = readdirSync(corpus).flatMap((name) => readFileSync(join(corpus, name), 'utf8').split(/\n\s*\n/))
      .filter((paragraph) => paragraph.length > 40);
    const sentences = paragraphs.flatMap(splitSentences).filter((text) => text.length > 20);
    const texts = [
      'What happens when a worker process crashes in the middle of an answer?',
      'Who was Genghis Khan\'s father?',
      'How many answers per second does one worker sustain?',
      ...paragraphs, ...sentences,
    ];
    const packaged = await OnnxEmbedder.load(installedMiniLmFiles(root, { packaged: true })!, { recentVectors: 0 });
    const requantised = await OnnxEmbedder.load(files!, { recentVectors: 0 });
    try {
      const [expected, actual] = [await packaged.embed(texts), await requantised.embed(texts)];
      const agreement = actual.map((vector, row) => cosine(vector, expected[row]!));
      expect(texts.length).toBeGreaterThan(30);
      expect(Math.min(...agreement)).toBeGreaterThan(0.99);
    } finally {
      await Promise.all([packaged.close(), requantised.close()]);
    }
  }, 60_000);
});
