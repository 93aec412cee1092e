import { piiTypeSchema } from '../../../contracts/gates';
import type { PiiSpan } from './pii-span';

/** Placeholder → original value for one request; never logged, only ever stored sealed. */
export type RedactionMap = Record<string, string>;

/**
 * A placeholder such as `[EMAIL_1]`; the same value gets the same placeholder within a request. Built from the
 * contract's types, so a type added there (`[LOCATION_1]`) is restored like the others.
 */
const placeholderPattern = new RegExp(String.raw`\[(${piiTypeSchema.options.join('|')})_(\d+)\]`, 'g');

/** Replaces each span with a typed placeholder; returns the new text and the map back. */
export function redactSpans(text: string, spans: readonly PiiSpan[], existing: RedactionMap = {}): { text: string; map: RedactionMap } {
  const map: RedactionMap = { ...existing };
  const byValue = new Map(Object.entries(map).map(([placeholder, value]) => [value, placeholder]));
  const counters = new Map<string, number>();
  for (const placeholder of Object.keys(map)) {
    const [, type, number] = /^\[(\w+?)_(\d+)\]$/.exec(placeholder) ?? [];
    if (type && number) counters.set(type, Math.max(counters.get(type) ?? 0, Number(number)));
  }
  let result = '';
  let cursor = 0;
  for (const span of [...spans].sort((left, right) => left.start - right.start)) {
    if (span.start < cursor) continue;
    const value = text.slice(span.start, span.end);
    let placeholder = byValue.get(value);
    if (!placeholder) {
      const next = (counters.get(span.type) ?? 0) + 1;
      counters.set(span.type, next);
      placeholder = `[${span.type}_${next}]`;
      map[placeholder] = value;
      byValue.set(value, placeholder);
    }
    result += text.slice(cursor, span.start) + placeholder;
    cursor = span.end;
  }
  return { text: result + text.slice(cursor), map };
}

/** Puts original values back where the model kept placeholders; unknown placeholders stay as they are. */
export function restorePlaceholders(text: string, map: RedactionMap): string {
  return text.replace(placeholderPattern, (placeholder) => map[placeholder] ?? placeholder);
}

/** Replaces each span with `[REDACTED <TYPE>]`, keeping nothing to restore it from (spans sorted, no overlaps). */
export function redactIrreversibly(text: string, spans: readonly PiiSpan[]): string {
  let redacted = '';
  let cursor = 0;
  for (const span of spans) {
    redacted += `${text.slice(cursor, span.start)}[REDACTED ${span.type}]`;
    cursor = span.end;
  }
  return redacted + text.slice(cursor);
}

/** Counts of redacted values per type, for decisions and audit records (no values). */
export function countByType(spans: readonly PiiSpan[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const span of spans) counts[span.type] = (counts[span.type] ?? 0) + 1;
  return counts;
}
