// PII detection quality on a `{text, spans:[{type, start, end}]}` JSONL file (Presidio format).
//   npm run bench:gates:pii -- [file.jsonl]            (default ../shared/eval/pii/dev.jsonl)
// Prints one JSON line: span-level precision, recall and F1 per type and micro-averaged over the
// types the gate detects, for the PII gate and for a naive regex/keyword baseline. A predicted
// span counts as correct when it overlaps a gold span of the same type (each gold span once);
// `exact` requires identical boundaries. Gold types the gate does not cover (addresses,
// organisations, dates...) are not counted as misses, but a prediction on them is a false positive.
import { join } from 'node:path';
import { z } from 'zod';
import type { PiiType } from '../../contracts/gates';
import { detectPii } from '../../activities/gates/pii/detect-pii';
import type { PiiSpan } from '../../activities/gates/pii/pii-span';
import { metricsFromCounts, readJsonLines, type BinaryMetrics } from './metrics';

const file = process.argv[2] ?? join(__dirname, '..', '..', '..', 'shared', 'eval', 'pii', 'dev.jsonl');
const rowSchema = z.object({ text: z.string(), spans: z.array(z.object({ type: z.string(), start: z.number().int(), end: z.number().int() })) });
const rows = readJsonLines(file).map((row) => rowSchema.parse(row));

/** Gold labels (Presidio names) mapped to the gate's types. */
const goldTypes: Record<string, PiiType> = {
  PERSON: 'PERSON', EMAIL_ADDRESS: 'EMAIL', PHONE_NUMBER: 'PHONE', CREDIT_CARD: 'CREDIT_CARD', IBAN_CODE: 'IBAN', US_SSN: 'US_SSN', IP_ADDRESS: 'IP_ADDRESS',
};
const measured = [...new Set(Object.values(goldTypes))];

// A deliberately naive baseline: one simple regex per type, and for names two capitalised words in a row.
const naivePatterns: Record<string, RegExp> = {
  EMAIL: /\S+@\S+/g, PHONE: /\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}/g, CREDIT_CARD: /\b\d{16}\b/g, IBAN: /\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b/g,
  US_SSN: /\b\d{3}-\d{2}-\d{4}\b/g, IP_ADDRESS: /\b\d+\.\d+\.\d+\.\d+\b/g, PERSON: /\b[A-Z][a-z]+ [A-Z][a-z]+\b/g,
};
function naiveDetect(text: string): PiiSpan[] {
  return Object.entries(naivePatterns).flatMap(([type, pattern]) => [...text.matchAll(pattern)].map((match) => ({ type: type as PiiType, start: match.index ?? 0, end: (match.index ?? 0) + match[0].length, value: match[0] })));
}

type Counts = Record<string, { tp: number; fp: number; fn: number }>;

function score(detect: (text: string) => PiiSpan[], exact: boolean): { perType: Record<string, BinaryMetrics>; micro: BinaryMetrics } {
  const counts: Counts = Object.fromEntries(measured.map((type) => [type, { tp: 0, fp: 0, fn: 0 }]));
  for (const row of rows) {
    const gold = row.spans.flatMap((span) => (goldTypes[span.type] ? [{ ...span, type: goldTypes[span.type]! }] : []));
    const matched = new Set<number>();
    for (const predicted of detect(row.text)) {
      const hit = gold.findIndex((span, index) => !matched.has(index) && span.type === predicted.type &&
        (exact ? span.start === predicted.start && span.end === predicted.end : span.start < predicted.end && predicted.start < span.end));
      if (hit >= 0) {
        matched.add(hit);
        counts[predicted.type]!.tp += 1;
      } else counts[predicted.type]!.fp += 1;
    }
    gold.forEach((span, index) => {
      if (!matched.has(index)) counts[span.type]!.fn += 1;
    });
  }
  const total = Object.values(counts).reduce((sum, count) => ({ tp: sum.tp + count.tp, fp: sum.fp + count.fp, fn: sum.fn + count.fn }), { tp: 0, fp: 0, fn: 0 });
  return {
    perType: Object.fromEntries(Object.entries(counts).map(([type, count]) => [type, metricsFromCounts(count.tp, count.fp, count.fn)])),
    micro: metricsFromCounts(total.tp, total.fp, total.fn),
  };
}

const gate = (text: string) => detectPii(text, measured, 'US');
const start = process.hrtime.bigint();
const overlap = score(gate, false);
const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
const compact = (metrics: BinaryMetrics) => ({ precision: metrics.precision, recall: metrics.recall, f1: metrics.f1, tp: metrics.truePositives, fp: metrics.falsePositives, fn: metrics.falseNegatives });

console.log(JSON.stringify({
  bench: 'pii-quality',
  file: file.replace(/^.*\/eval\//, 'eval/'),
  rows: rows.length,
  match: 'overlap, same type',
  gate: { micro: compact(overlap.micro), perType: Object.fromEntries(Object.entries(overlap.perType).map(([type, metrics]) => [type, compact(metrics)])), msPerRow: Math.round((elapsedMs / rows.length) * 1000) / 1000 },
  gateExactBoundaries: compact(score(gate, true).micro),
  naiveBaseline: { micro: compact(score(naiveDetect, false).micro), perType: Object.fromEntries(Object.entries(score(naiveDetect, false).perType).map(([type, metrics]) => [type, compact(metrics)])) },
}));
