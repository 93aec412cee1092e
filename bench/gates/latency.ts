// Latency of each gate and of the full input and output gate sets on 0.5 KB, 2 KB and 20 KB
// texts. Inputs are Wikipedia paragraphs (eval/rag/corpus.jsonl) with a line of PII from
// eval/pii/dev.jsonl mixed in, so names, numbers and redaction are exercised. Prints JSON lines.
// When the MiniLM files are installed, also the injection gate with its second stage
// (TwoStageInjectionGate) on the 2 KB texts and on short prompts (held-out Quora questions): all
// texts, and those in the first stage's uncertain band alone (the ones it embeds), with their share.
//   npm run bench:gates:latency [-- --iterations 300] [--second-stage: only the two-stage injection gate]
import { join } from 'node:path';
import { GateConfig } from '../../contracts/gate-config';
import { PiiGate } from '../../activities/gates/pii/pii-gate';
import { RedactionSealer } from '../../activities/gates/pii/redaction-seal';
import { injectionSecondStageModel, scoreInjection, TwoStageInjectionGate } from '../../activities/gates/injection/injection-gate';
import { installedMiniLmFiles, OnnxEmbedder } from '../../activities/retrieval/onnx-embedder';
import { buildInputGates, buildOutputGates } from '../../activities/gates/runner/build-gates';
import { benignText } from './benign-text';
import { runInputGateSet, runOutputGateSet } from '../../activities/gates/runner/run-gates';
import { summarise } from '../stats';
import { readJsonLines } from './metrics';

const evalDir = join(__dirname, '..', '..', '..', 'shared', 'eval');
const iterationsArgument = process.argv.indexOf('--iterations');
const iterations = iterationsArgument > 0 ? Number(process.argv[iterationsArgument + 1]) : 300;
const sizes = [512, 2048, 20480];

const paragraphs = readJsonLines(join(evalDir, 'rag', 'corpus.jsonl')).map((row) => (row as { text: string }).text);
const piiLines = readJsonLines(join(evalDir, 'pii', 'dev.jsonl')).map((row) => (row as { text: string }).text);

/** A prompt of about `size` bytes: a PII line, then paragraphs, varied by `seed`. */
function makeText(size: number, seed: number): string {
  let text = `${piiLines[seed % piiLines.length]}\n`;
  for (let index = seed; Buffer.byteLength(text) < size; index += 1) text += `${paragraphs[index % paragraphs.length]}\n`;
  return Buffer.from(text).subarray(0, size).toString('utf8').replace(/\uFFFD$/, '');
}

function measure(run: (text: string, seed: number) => unknown, size: number): ReturnType<typeof summarise> {
  const texts = Array.from({ length: 40 }, (_, seed) => makeText(size, seed * 7));
  for (let warm = 0; warm < 20; warm += 1) run(texts[warm % texts.length]!, warm);
  const latencies: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const text = texts[index % texts.length]!;
    const start = process.hrtime.bigint();
    run(text, index);
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(latencies);
}

async function measureAsync(run: (text: string) => Promise<unknown>, size: number): Promise<ReturnType<typeof summarise>> {
  const texts = Array.from({ length: 40 }, (_, seed) => makeText(size, seed * 7));
  for (let warm = 0; warm < 20; warm += 1) await run(texts[warm % texts.length]!);
  const latencies: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const start = process.hrtime.bigint();
    await run(texts[index % texts.length]!);
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(latencies);
}

/** The injection gate with its second stage, on `texts`: every text, and the band's texts alone. */
async function measureSecondStage(name: string, texts: readonly string[], embedder: OnnxEmbedder): Promise<void> {
  const gate = new TwoStageInjectionGate(undefined, { model: injectionSecondStageModel(), embedder });
  const model = injectionSecondStageModel();
  const context = { tenant: 'bench', feature: 'qa' };
  const inBand = texts.map((text) => {
    const score = scoreInjection(text).combined;
    return score >= model.bandFrom && score < 0.5;
  });
  for (let warm = 0; warm < 20; warm += 1) await gate.check(texts[warm % texts.length]!, context);
  const all: number[] = [];
  const band: number[] = [];
  for (let index = 0; index < Math.max(iterations, texts.length); index += 1) {
    const text = texts[index % texts.length]!;
    const start = process.hrtime.bigint();
    await gate.check(text, context);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    all.push(elapsed);
    if (inBand[index % texts.length]) band.push(elapsed);
  }
  const bandShare = Math.round((inBand.filter(Boolean).length / texts.length) * 1000) / 1000;
  console.log(JSON.stringify({
    bench: 'gate-latency', stage: 'input', gate: 'injection-two-stage', inputs: name, texts: texts.length, bandShare,
    all: summarise(all), inBand: band.length ? summarise(band) : null,
  }));
}

async function main(): Promise<void> {
  const files = installedMiniLmFiles(join(__dirname, '..', '..'));
  if (files && process.argv.includes('--second-stage')) {
    const embedder = await OnnxEmbedder.load(files);
    await measureSecondStage('2 KB prompts', Array.from({ length: 200 }, (_, seed) => makeText(2048, seed * 7)), embedder);
    await measureSecondStage('short prompts (held-out Quora questions)', benignText('heldOut').quoraQuestions, embedder);
    await embedder.close();
    return;
  }
  const gateSet = new GateConfig({ defaults: { output: { schema: { enabled: false } } } }).resolve('bench', 'qa');
  const inputGates = buildInputGates(gateSet);
  const outputGates = buildOutputGates(gateSet, {});
  const sealer = new RedactionSealer(Buffer.alloc(32, 7));
  const context = { tenant: 'bench', feature: 'qa' };
  for (const size of sizes) {
    const evidence = [{ marker: 1, text: makeText(size, 3) }];
    const outputContext = { ...context, evidence };
    for (const configured of [...inputGates, ...outputGates]) {
      const stage = inputGates.includes(configured) ? 'input' : 'output';
      const stats = measure((text) => configured.gate.check(text, stage === 'input' ? context : outputContext), size);
      console.log(JSON.stringify({ bench: 'gate-latency', stage, gate: configured.gate.name, bytes: size, ...stats }));
    }
    // The PII gate with the optional types on too (the place gazetteer loads during the warm-up).
    const withOptional = new PiiGate({
      ...gateSet.input.pii, types: [...gateSet.input.pii.types, 'LOCATION', 'ORGANIZATION'],
    });
    console.log(JSON.stringify({
      bench: 'gate-latency', stage: 'input', gate: 'pii', types: '+LOCATION+ORGANIZATION', bytes: size,
      ...measure((text) => withOptional.check(text), size),
    }));
    // The whole input set as the activity runs it: gates in parallel, failure policy, sealing.
    const inputSet = await measureAsync(async (text) => {
      const run = await runInputGateSet(inputGates, text, context);
      if (run.redactions) sealer.seal(run.redactions, context.tenant);
    }, size);
    console.log(JSON.stringify({
      bench: 'gate-latency', stage: 'input', gate: 'input-set', gates: inputGates.map((gate) => gate.gate.name),
      bytes: size, ...inputSet,
    }));
    const outputSet = await measureAsync((text) => runOutputGateSet(outputGates, text, outputContext), size);
    console.log(JSON.stringify({
      bench: 'gate-latency', stage: 'output', gate: 'output-set', gates: outputGates.map((gate) => gate.gate.name),
      bytes: size, ...outputSet,
    }));
  }
}

void main();
