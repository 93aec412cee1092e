// Experiment (not shipped): is a variant's held-out precision really different from another's? Paired
// bootstrap over the held-out rows (the same resampled rows score both variants), each at its own
// threshold chosen on cross-validated tuning scores (paraphrase-variants.ts --scores-dir DIR).
// Nothing is chosen here; it only says how far apart two already-fixed operating points are.
//   npx tsx bench/cache/experiments/paraphrase-compare.ts DIR shipped other [more ...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Scores { variant: string; threshold: number; labels: number[]; scores: number[] }
const load = (dir: string, name: string): Scores =>
  JSON.parse(readFileSync(join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.json`), 'utf8')) as Scores;

/** Mulberry32: a fixed seed gives the same resamples every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function precisionRecall(s: Scores, rows: readonly number[]) {
  let [hits, truePositives, positives] = [0, 0, 0];
  for (const i of rows) {
    positives += s.labels[i]!;
    if (s.scores[i]! > 0 && s.scores[i]! >= s.threshold) {
      hits += 1;
      truePositives += s.labels[i]!;
    }
  }
  return { precision: truePositives / Math.max(1, hits), recall: truePositives / Math.max(1, positives) };
}

const quantile = (values: number[], q: number): number =>
  [...values].sort((x, y) => x - y)[Math.floor(q * (values.length - 1))]!;
const round = (value: number): number => Number(value.toFixed(4));

const [dir, baseName, ...others] = process.argv.slice(2);
if (!dir || !baseName || others.length === 0) throw new Error('usage: paraphrase-compare.ts DIR base other [...]');
const base = load(dir, baseName);
const all = base.labels.map((_, i) => i);
for (const name of others) {
  const other = load(dir, name);
  const next = random(20240601);
  const differences: number[] = [];
  const recallDifferences: number[] = [];
  for (let draw = 0; draw < 2000; draw += 1) {
    const rows = all.map(() => Math.floor(next() * all.length));
    const [x, y] = [precisionRecall(base, rows), precisionRecall(other, rows)];
    differences.push(y.precision - x.precision);
    recallDifferences.push(y.recall - x.recall);
  }
  const [x, y] = [precisionRecall(base, all), precisionRecall(other, all)];
  console.log(JSON.stringify({
    base: baseName, variant: name, basePrecision: round(x.precision), precision: round(y.precision),
    precisionDifference: round(y.precision - x.precision),
    precisionDifference95: [round(quantile(differences, 0.025)), round(quantile(differences, 0.975))],
    shareOfResamplesBetter: round(differences.filter((d) => d > 0).length / differences.length),
    recallDifference: round(y.recall - x.recall),
    recallDifference95: [round(quantile(recallDifferences, 0.025)), round(quantile(recallDifferences, 0.975))],
  }));
}
