// PII detection quality on a `{text, spans:[{type, start, end}]}` JSONL file (Presidio format).
//   npm run bench:gates:pii -- [file.jsonl] [--errors] [--optional-spans]   (default ../shared/eval/pii/dev.jsonl)
// Prints one JSON line: span-level precision, recall and F1 per type and micro-averaged over the
// types the gate detects, for the PII gate and for a naive regex/keyword baseline. A predicted
// span counts as correct when it overlaps a gold span of the same type (each gold span once);
// `exact` requires identical boundaries. Gold types the gate does not cover (addresses,
// organisations, dates...) are not counted as misses, but a prediction on them is a false positive.
// The optional LOCATION and ORGANIZATION types (off by default) are scored apart, against GPE and LOCATION and
// against ORGANIZATION labels, twice: as the rule above says, and with what is found inside a labelled address not
// counted (the file labels an address's town as part of its STREET_ADDRESS span, but its country, as often as not,
// as GPE).
// The detector rules were tuned on part of the file only; `heldOut` scores the rows kept out of
// that tuning (the same hash rule as trained gates), which is the figure that predicts unseen data.
// `--errors` prints the false positives and negatives of the tuning rows (never the held-out ones).
// Unlabelled ordinary text (held-out Quora and SQuAD questions, Wikipedia paragraphs) has no gold places or firms,
// so the optional types' spans there are counted, and `--optional-spans` prints them to read.
import { join } from 'node:path';
import { z } from 'zod';
import type { PiiType } from '../../contracts/gates';
import { detectPii } from '../../activities/gates/pii/detect-pii';
import type { PiiSpan } from '../../activities/gates/pii/pii-span';
import { metricsFromCounts, readJsonLines, type BinaryMetrics } from './metrics';
import { benignText } from './benign-text';
import { optionalPresidioTypes, presidioAddressTypes, presidioTypes } from './presidio-types';
import { heldOutRule, isHeldOut } from './training-provenance';

const fileArgument = process.argv.slice(2).find((argument) => !argument.startsWith('--'));
const file = fileArgument ?? join(__dirname, '..', '..', '..', 'shared', 'eval', 'pii', 'dev.jsonl');
const printErrors = process.argv.includes('--errors');
const spanSchema = z.object({ type: z.string(), start: z.number().int(), end: z.number().int() });
const rowSchema = z.object({ text: z.string(), spans: z.array(spanSchema) });
type Row = z.infer<typeof rowSchema>;
const rows = readJsonLines(file).map((row) => rowSchema.parse(row));
const heldOutRows = rows.filter((row) => isHeldOut(row.text));
const tuningRows = rows.filter((row) => !isHeldOut(row.text));

const measured = [...new Set(Object.values(presidioTypes))];

// A deliberately naive baseline: one simple regex per type, and for names two capitalised words in a row.
const naivePatterns: Record<string, RegExp> = {
  EMAIL: /\S+@\S+/g, PHONE: /\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}/g, CREDIT_CARD: /\b\d{16}\b/g,
  IBAN: /\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b/g, US_SSN: /\b\d{3}-\d{2}-\d{4}\b/g, IP_ADDRESS: /\b\d+\.\d+\.\d+\.\d+\b/g,
  PERSON: /\b[A-Z][a-z]+ [A-Z][a-z]+\b/g,
};
function naiveDetect(text: string): PiiSpan[] {
  return Object.entries(naivePatterns).flatMap(([type, pattern]) => [...text.matchAll(pattern)].map((match) => (
    { type: type as PiiType, start: match.index ?? 0, end: (match.index ?? 0) + match[0].length, value: match[0] })));
}

type Counts = Record<string, { tp: number; fp: number; fn: number }>;
interface Scored { perType: Record<string, BinaryMetrics>; micro: BinaryMetrics }
/** One wrong span: a prediction no gold span matched, or a gold span nothing found. */
interface ErrorLine { kind: 'fp' | 'fn'; type: string; value: string; goldType?: string; text: string }

interface ScoreOptions {
  /** Boundaries must be identical, not just overlap. */
  exact?: boolean;
  errors?: ErrorLine[];
  /** Gold labels → the gate's types scored; predictions of other types are left out. */
  labels?: Readonly<Record<string, PiiType>>;
  /** A prediction inside a labelled address is not counted wrong (the optional types' second figure). */
  insideAddressesNotCounted?: boolean;
}

function score(selected: readonly Row[], detect: (text: string) => PiiSpan[], options: ScoreOptions = {}): Scored {
  const { exact = false, errors, labels = presidioTypes, insideAddressesNotCounted = false } = options;
  const types = [...new Set(Object.values(labels))];
  const counts: Counts = Object.fromEntries(types.map((type) => [type, { tp: 0, fp: 0, fn: 0 }]));
  for (const row of selected) {
    const gold = row.spans.flatMap((span) => {
      const type = labels[span.type];
      return type ? [{ ...span, type }] : [];
    });
    const addresses = row.spans.filter((span) => presidioAddressTypes.has(span.type));
    const matched = new Set<number>();
    for (const predicted of detect(row.text).filter((span) => types.includes(span.type))) {
      const hit = gold.findIndex((span, index) => !matched.has(index) && span.type === predicted.type &&
        (exact ? span.start === predicted.start && span.end === predicted.end
          : span.start < predicted.end && predicted.start < span.end));
      if (hit >= 0) {
        matched.add(hit);
        counts[predicted.type]!.tp += 1;
      } else if (!(insideAddressesNotCounted
        && addresses.some((span) => span.start <= predicted.start && predicted.end <= span.end))) {
        counts[predicted.type]!.fp += 1;
        // Which gold label (if any) the wrong prediction sits on helps tell a type mix-up from noise.
        const under = row.spans.find((span) => span.start < predicted.end && predicted.start < span.end);
        const goldType = under?.type;
        errors?.push({ kind: 'fp', type: predicted.type, value: predicted.value, goldType, text: row.text });
      }
    }
    gold.forEach((span, index) => {
      if (matched.has(index)) return;
      counts[span.type]!.fn += 1;
      errors?.push({ kind: 'fn', type: span.type, value: row.text.slice(span.start, span.end), text: row.text });
    });
  }
  const total = Object.values(counts).reduce(
    (sum, count) => ({ tp: sum.tp + count.tp, fp: sum.fp + count.fp, fn: sum.fn + count.fn }), { tp: 0, fp: 0, fn: 0 });
  return {
    perType: Object.fromEntries(Object.entries(counts)
      .map(([type, count]) => [type, metricsFromCounts(count.tp, count.fp, count.fn)])),
    micro: metricsFromCounts(total.tp, total.fp, total.fn),
  };
}

/** `detect` run once per distinct text: the splits and figures below score the same rows several times. */
function memoised(detect: (text: string) => PiiSpan[]): (text: string) => PiiSpan[] {
  const found = new Map<string, PiiSpan[]>();
  return (text) => {
    let spans = found.get(text);
    if (!spans) found.set(text, spans = detect(text));
    return spans;
  };
}

const gate = memoised((text: string) => detectPii(text, measured, 'US'));
const compact = (metrics: BinaryMetrics) => ({
  precision: metrics.precision, recall: metrics.recall, f1: metrics.f1,
  tp: metrics.truePositives, fp: metrics.falsePositives, fn: metrics.falseNegatives,
});
const report = (scored: Scored) => ({
  micro: compact(scored.micro),
  perType: Object.fromEntries(Object.entries(scored.perType).map(([type, metrics]) => [type, compact(metrics)])),
});

const optionalTypes = [...new Set(Object.values(optionalPresidioTypes))];
const withOptional = memoised((text: string) => detectPii(text, [...measured, ...optionalTypes], 'US'));

/** The optional types' spans in ordinary text, which holds places and firms but no labels to score them by. */
function optionalSpansInOrdinaryText(): { texts: number; spans: Record<string, string[]> } {
  const ordinary = benignText('heldOut');
  const texts = [...ordinary.quoraQuestions, ...ordinary.squadQuestions, ...ordinary.wikipediaParagraphs];
  const spans: Record<string, string[]> = Object.fromEntries(optionalTypes.map((type) => [type, []]));
  for (const text of texts) for (const span of withOptional(text)) spans[span.type]?.push(span.value);
  return { texts: texts.length, spans };
}

/** Each optional type with the default types and the other optional one on beside it, scored both ways. */
function optionalReport(selected: readonly Row[]) {
  const strict = score(selected, withOptional, { labels: optionalPresidioTypes }).perType;
  const lenient = score(selected, withOptional, { labels: optionalPresidioTypes, insideAddressesNotCounted: true })
    .perType;
  return Object.fromEntries(optionalTypes.map((type) => [type, {
    strict: compact(strict[type]!), insideLabelledAddressesNotCounted: compact(lenient[type]!),
  }]));
}

const start = process.hrtime.bigint();
const whole = score(rows, gate);
const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;

const ordinary = optionalSpansInOrdinaryText();
if (process.argv.includes('--optional-spans')) {
  for (const [type, values] of Object.entries(ordinary.spans)) console.log(JSON.stringify({ type, spans: values }));
}

if (printErrors) {
  const errors: ErrorLine[] = [];
  score(tuningRows, gate, { errors });
  for (const error of errors) console.log(JSON.stringify(error));
}

console.log(JSON.stringify({
  bench: 'pii-quality',
  file: file.replace(/^.*\/eval\//, 'eval/'),
  rows: rows.length,
  match: 'overlap, same type',
  gate: { ...report(whole), msPerRow: Math.round((elapsedMs / rows.length) * 1000) / 1000 },
  heldOut: { rule: heldOutRule, rows: heldOutRows.length, ...report(score(heldOutRows, gate)) },
  tuning: { rows: tuningRows.length, ...report(score(tuningRows, gate)) },
  gateExactBoundaries: compact(score(rows, gate, { exact: true }).micro),
  naiveBaseline: report(score(rows, naiveDetect)),
  optionalTypes: {
    labels: optionalPresidioTypes, wholeFile: optionalReport(rows), heldOut: optionalReport(heldOutRows),
    tuning: optionalReport(tuningRows),
    ordinaryText: { texts: ordinary.texts, spans: Object.fromEntries(
      Object.entries(ordinary.spans).map(([type, values]) => [type, values.length])) },
  },
}));
