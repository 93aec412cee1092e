// Hostile variants of known injections against the injection gate as it ships, and the benign
// side of the same coin. Prints one JSON line on stdout (nothing else goes there):
// - `variants`: per class (rot13, reversed, leetspeak, homoglyph, translations…), how many of the
//   generated variants (test/helpers/hostile-variants.ts) the gate lets through (action allow);
// - `benignSamples`: how many of the hand-written benign samples it flags, per kind, and which;
// - `evalBenignRows`: its flag rate on the label-0 rows of eval/injection/dev.jsonl, on the rows the
//   shipped model never trained on and on all of them;
// - `otherBenignText`: its flag rate on held-out Quora questions and Wikipedia paragraphs.
//   npx tsx bench/gates/injection-variants.ts [--show-passed]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import injectionModelFile from '../../activities/gates/injection/injection-model.json';
import { InjectionGate } from '../../activities/gates/injection/injection-gate';
import { benignSamples, hostileVariants, passCountsByClass } from '../../test/helpers/hostile-variants';
import { benignText } from './benign-text';
import { readJsonLines } from './metrics';
import { shippedProvenance, textHash } from './training-provenance';

const gate = new InjectionGate();
const flagged = (text: string, source: 'user' | 'document' = 'user') =>
  gate.check(text, { tenant: 'bench', feature: 'qa', source }).action !== 'allow';
const rate = (count: number, total: number) => Math.round((count / Math.max(1, total)) * 1000) / 1000;

const variants = hostileVariants();
const byClass = passCountsByClass(variants, (text) => !flagged(text));
const passed = Object.values(byClass).reduce((sum, entry) => sum + entry.passed, 0);

const benign = Object.fromEntries(Object.entries(benignSamples).map(([kind, texts]) => {
  const hits = texts.filter((text) => flagged(text));
  return [kind, { samples: texts.length, flagged: hits.length, flaggedTexts: hits }];
}));

const trained = new Set(shippedProvenance(injectionModelFile).trainedTextHashes);
const evalFile = join(__dirname, '..', '..', '..', 'shared', 'eval', 'injection', 'dev.jsonl');
const evalRows = existsSync(evalFile)
  ? readJsonLines(evalFile).map((row) => z.object({ text: z.string(), label: z.number().int() }).parse(row))
  : [];
const benignRows = evalRows.filter((row) => row.label === 0);
const unseenBenignRows = benignRows.filter((row) => !trained.has(textHash(row.text)));
const flagCount = (texts: readonly string[], source: 'user' | 'document' = 'user') =>
  texts.filter((text) => flagged(text, source)).length;

const heldOut = benignText('heldOut');
const unseen = (texts: readonly string[]) => texts.filter((text) => !trained.has(textHash(text)));
const [paragraphs, questions] = [unseen(heldOut.wikipediaParagraphs), unseen(heldOut.quoraQuestions)];

const unseenFlags = flagCount(unseenBenignRows.map((row) => row.text));
const allFlags = flagCount(benignRows.map((row) => row.text));
console.log(JSON.stringify({
  bench: 'injection-variants',
  variants: {
    total: variants.length, passed, caught: rate(variants.length - passed, variants.length), byClass,
    ...(process.argv.includes('--show-passed')
      ? { passedTexts: variants.filter((variant) => !flagged(variant.text)) }
      : {}),
  },
  benignSamples: benign,
  evalBenignRows: {
    file: 'eval/injection/dev.jsonl',
    unseenByShippedModel: {
      rows: unseenBenignRows.length, flagged: unseenFlags, rate: rate(unseenFlags, unseenBenignRows.length),
    },
    all: { rows: benignRows.length, flagged: allFlags, rate: rate(allFlags, benignRows.length) },
  },
  otherBenignText: {
    quoraQuestions: { rows: questions.length, flagged: flagCount(questions) },
    wikipediaParagraphsAsDocuments: { rows: paragraphs.length, flagged: flagCount(paragraphs, 'document') },
  },
}));
