import type { PiiType } from '../../../contracts/gates';

/** A detected PII value: character offsets into the canonical text, end exclusive. */
export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
  value: string;
}

// When detections overlap, the more specific detector wins (an IBAN's digits are not a phone).
const priority: Record<PiiType, number> = {
  SECRET: 0, EMAIL: 1, IBAN: 2, CREDIT_CARD: 3, US_SSN: 4, IP_ADDRESS: 5, PHONE: 6, PERSON: 7,
  // The optional types: a firm's name may hold a place ("Kenosha Country Club").
  ORGANIZATION: 8, LOCATION: 9,
};

/** Keeps non-overlapping spans, preferring higher-priority types and then longer spans; sorted by start. */
export function resolveOverlaps(spans: readonly PiiSpan[]): PiiSpan[] {
  const ranked = [...spans].sort((left, right) => priority[left.type] - priority[right.type]
    || (right.end - right.start) - (left.end - left.start) || left.start - right.start);
  const kept: PiiSpan[] = [];
  for (const span of ranked) {
    if (!kept.some((other) => span.start < other.end && other.start < span.end)) kept.push(span);
  }
  return kept.sort((left, right) => left.start - right.start);
}

/** A piece of text and its offsets, end exclusive. */
export interface TextMatch {
  value: string;
  start: number;
  end: number;
}

/** Every match of a global pattern with its offsets. */
export function* matchesOf(pattern: RegExp, text: string): Generator<TextMatch> {
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    yield { value: match[0], start, end: start + match[0].length };
  }
}
