// Latency of the injection gate alone on typical user questions (held-out Quora questions and the
// benign rows of eval/injection/dev.jsonl, a few to a few hundred characters) and on a few kinds
// of hostile variant. Prints JSON lines on stdout, nothing else.
//   npx tsx bench/gates/injection-latency.ts [--iterations 3000]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InjectionGate } from '../../activities/gates/injection/injection-gate';
import { hostileVariants } from '../../test/helpers/hostile-variants';
import { summarise } from '../stats';
import { benignText } from './benign-text';
import { readJsonLines } from './metrics';

const iterationsArgument = process.argv.indexOf('--iterations');
const iterations = iterationsArgument > 0 ? Number(process.argv[iterationsArgument + 1]) : 3000;
const gate = new InjectionGate();
const context = { tenant: 'bench', feature: 'qa' };

const evalFile = join(__dirname, '..', '..', '..', 'shared', 'eval', 'injection', 'dev.jsonl');
const evalBenign = existsSync(evalFile)
  ? readJsonLines(evalFile).map((row) => row as { text: string; label: number })
    .filter((row) => row.label === 0).map((row) => row.text)
  : [];
const inputs: Record<string, readonly string[]> = {
  quoraQuestions: benignText('heldOut').quoraQuestions.slice(0, 500),
  evalBenignQuestions: evalBenign,
  hostileVariants: hostileVariants().map((variant) => variant.text),
};

for (const [name, texts] of Object.entries(inputs)) {
  if (texts.length === 0) continue;
  for (let warm = 0; warm < 200; warm += 1) gate.check(texts[warm % texts.length]!, context);
  const latencies: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const text = texts[index % texts.length]!;
    const start = process.hrtime.bigint();
    gate.check(text, context);
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const meanCharacters = Math.round(texts.reduce((sum, text) => sum + text.length, 0) / texts.length);
  console.log(JSON.stringify({
    bench: 'injection-latency', inputs: name, texts: texts.length, meanCharacters, ...summarise(latencies),
  }));
}
