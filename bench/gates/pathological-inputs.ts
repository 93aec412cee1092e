// Time of each gate, the sentence splitter, the chunker, the HTML reader and the token counter on degenerate
// texts (runs of one character, blank lines, long letter runs, unclosed tags) at 8,000 and 32,000 characters:
// 8,000 is the longest question the contracts accept, and a document or a model's answer can be longer. A linear
// step costs about 4x for 4x the text; 16x means a regex or loop rescans what it has read (a ReDoS-like input).
// Prints JSON lines only.
//   npx tsx bench/gates/pathological-inputs.ts
import { GateConfig } from '../../contracts/gate-config';
import { buildInputGates, buildOutputGates } from '../../activities/gates/runner/build-gates';
import { detectPii } from '../../activities/gates/pii/detect-pii';
import { chunkText } from '../../activities/retrieval/chunk-text';
import { htmlToText } from '../../activities/retrieval/parse-html';
import { splitSentences } from '../../activities/split-sentences';
import { sharedEncoding } from '../../activities/tiktoken-encodings';

const sizes = [8_000, 32_000] as const;
const inputs: Record<string, (length: number) => string> = {
  blankLines: (length) => '\n'.repeat(length),
  spaces: (length) => ' '.repeat(length),
  dots: (length) => '.'.repeat(length),
  digits: (length) => '1'.repeat(length),
  spacedDigits: (length) => '1 '.repeat(length / 2),
  letterRun: (length) => 'Aa'.repeat(length / 2),
  dna: (length) => Array.from({ length }, (_, index) => 'ACGT'[(index * 7919 + (index >> 3) * 104729) % 4]).join(''),
  initials: (length) => 'A. '.repeat(length / 3),
  atSigns: (length) => 'a@'.repeat(length / 2),
  hexColons: (length) => 'ab:'.repeat(length / 3),
  unclosedTags: (length) => '<b><i>x'.repeat(length / 7),
  // For the optional PII types: hyphenated and dotted capital runs, firm lists, "X of Y" chains, place runs.
  hyphenatedCapitals: (length) => 'Smith-'.repeat(length / 6),
  firmLists: (length) => 'Smith, Jones and '.repeat(length / 17),
  personOfChains: (length) => 'John Smith of '.repeat(length / 14),
  placeRuns: (length) => 'TALLINN '.repeat(length / 8),
};

const gateSet = new GateConfig({ defaults: { output: { schema: { enabled: false } } } }).resolve('bench', 'qa');
const gates = [...buildInputGates(gateSet), ...buildOutputGates(gateSet, {})];
const context = { tenant: 'bench', feature: 'qa', evidence: [{ marker: 1, text: 'Workers poll task queues.' }] };
const steps: [string, (text: string) => unknown][] = [
  ...gates.map(({ gate }): [string, (text: string) => unknown] => [gate.name, (text) => gate.check(text, context)]),
  ['pii+LOCATION+ORGANIZATION', (text) => detectPii(text, ['PERSON', 'LOCATION', 'ORGANIZATION'])],
  ['splitSentences', splitSentences],
  ['chunkText', (text) => chunkText(text, 'bench')],
  ['htmlToText', htmlToText],
  ['countTokens', (text) => sharedEncoding('cl100k_base').encode(text)],
];

async function timed(step: (text: string) => unknown, text: string): Promise<number> {
  const start = performance.now();
  await step(text);
  return performance.now() - start;
}

async function main(): Promise<void> {
  // Warm up: models load and regexes compile on first use, which is not what this measures.
  for (const [, step] of steps) await step('Warm up: John Smith asked about Temporal workers. Call +1 202 555 0143.');
  for (const [input, make] of Object.entries(inputs)) {
    for (const [name, step] of steps) {
      const [small, large] = [await timed(step, make(sizes[0])), await timed(step, make(sizes[1]))];
      const round = (value: number) => Math.round(value * 10) / 10;
      console.log(JSON.stringify({
        bench: 'pathological-inputs', input, step: name, ms8k: round(small), ms32k: round(large),
        ratio: round(large / Math.max(small, 0.05)),
      }));
    }
  }
}

void main();
