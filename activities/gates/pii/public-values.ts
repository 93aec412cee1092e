import type { PiiSpan } from './pii-span';

// A tenant's own published contacts (a billing address, a support line) are in its documents so that
// answers can give them; redacting them makes "How do I request a refund?" answer "email
// [REDACTED EMAIL]". The pii-leak gate's `publicValues` name them. Written values are compared in a
// normal form: e-mail addresses case-blind, anything else by its letters and digits alone, so
// "+1 (800) 555-0100" and "1-800-555-0100" are one number; "@acme.example" names every address there.

const normalForm = (value: string): string => {
  const lower = value.trim().toLowerCase();
  return lower.includes('@') ? lower : lower.replace(/[^\p{L}\p{N}]/gu, '');
};

/** Whether the detected `span` is one of `publicValues` (or an address at a listed `@domain`). */
export function isPublicValue(span: PiiSpan, publicValues: readonly string[]): boolean {
  const value = normalForm(span.value);
  return publicValues.some((entry) => {
    const listed = normalForm(entry);
    if (listed.startsWith('@')) return span.type === 'EMAIL' && value.endsWith(listed);
    return value === listed || sameNumber(value, listed);
  });
}

/** A number written with a country code (up to three digits) is the same number written without it. */
function sameNumber(left: string, right: string): boolean {
  if (!/^\d+$/.test(left) || !/^\d+$/.test(right)) return false;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  return shorter.length >= 8 && longer.length - shorter.length <= 3 && longer.endsWith(shorter);
}

/** `spans` without the tenant's published values; the same array when none are listed. */
export function withoutPublicValues(spans: PiiSpan[], publicValues: readonly string[] | undefined): PiiSpan[] {
  if (!publicValues || publicValues.length === 0) return spans;
  return spans.filter((span) => !isPublicValue(span, publicValues));
}
