// The output PII-leak gate over a stream: which prefix of a growing answer may reach the caller
// now. A value split across chunks ("4111 1111" … "1111 1111") must never be released in part, so
// the last characters are held back, the structured detectors run over everything received, the
// cut moves back to the start of any value (or unbroken word) it would split, and values inside
// the released part are replaced by the pii-leak gate's own `[REDACTED <TYPE>]` placeholders.
//
// Why released text never has to be taken back: the cut always has at least `holdBackCharacters`
// (W) characters after it. A value of at most W characters that starts before the cut is then
// wholly received, so it is detected (the detectors look at most one character past a value and
// 40 characters before it) and the cut stops at its start. Only a value longer than W could be
// recognised after part of it was released, and the word rule covers those without spaces
// (keys, tokens, emails, URLs): the cut never falls inside an unbroken run of characters. A PEM
// key matches from its `-----BEGIN` to the end of the text until its END line arrives, so it
// straddles every later cut and holds it. Should a detection ever disagree with what was
// released, the earlier release is kept (monotonic) and the final answer, which the workflow's
// own output gates decide, says `replaced`.
import type { PiiType } from '../../../contracts/gates';
import { detectPii } from '../pii/detect-pii';
import { withoutPublicValues } from '../pii/public-values';
import { redactIrreversibly } from '../pii/redaction';
import { canonicalText } from '../text/normalise';

/** The types with a structure a library validates: the pii-leak gate's default set (no person names). */
export type StructuredPiiType = Exclude<PiiType, 'PERSON'>;

/** Every structured type: a stream is never less strict than the default pii-leak gate. */
export const structuredPiiTypes: readonly StructuredPiiType[] = [
  'SECRET', 'EMAIL', 'IBAN', 'CREDIT_CARD', 'US_SSN', 'IP_ADDRESS', 'PHONE',
];

/** The smallest hold-back: longer than any card, phone, IBAN or SSN as written (37, ~25, 42, 11). */
export const minimumHoldBackCharacters = 64;

export interface StreamWindowOptions {
  /** Characters kept back from the end of the text received so far (W). @default 128 */
  holdBackCharacters?: number;
  /** @default every structured type */
  types?: readonly StructuredPiiType[];
  /** Region used to read phone numbers without a country code. @default 'US' */
  region?: string;
  /** The tenant's published contacts (the pii-leak gate's `publicValues`), released as written. */
  publicValues?: readonly string[];
}

/** What has been released: the gated text, and how much of the canonical text it covers. */
export interface Released {
  /** Characters of the canonical text released (before redaction). */
  cut: number;
  /** The released prefix with values replaced by `[REDACTED <TYPE>]`. */
  text: string;
}

export const nothingReleased: Released = { cut: 0, text: '' };

const isSpace = (character: string | undefined): boolean => character === undefined || /\s/.test(character);

/**
 * The releasable prefix of `received` (everything streamed so far), gated. `final` releases the
 * rest (the stream has ended). Never returns less than `previous`.
 */
export function releasePrefix(
  received: string, options: StreamWindowOptions = {}, previous: Released = nothingReleased, final = false,
): Released {
  const holdBack = Math.max(minimumHoldBackCharacters, options.holdBackCharacters ?? 128);
  const canonical = canonicalText(received);
  const types = options.types ?? structuredPiiTypes;
  const region = options.region ?? 'US';
  const spans = withoutPublicValues(detectPii(canonical, types, region), options.publicValues);
  let cut = final ? canonical.length : Math.max(0, canonical.length - holdBack);
  if (!final) {
    // Never split a word: a value longer than the window is held whole while it has no spaces.
    while (cut > 0 && !isSpace(canonical[cut - 1]) && !isSpace(canonical[cut])) cut -= 1;
    // Spans are sorted and do not overlap, so at most one straddles the cut.
    const straddling = spans.find((span) => span.start < cut && cut < span.end);
    if (straddling) cut = straddling.start;
  }
  if (cut <= previous.cut && !final) return previous;
  const inside = spans.filter((span) => span.end <= cut);
  const text = redactIrreversibly(canonical.slice(0, cut), inside);
  // Monotonic: a release that would rewrite what the caller already has is not made.
  if (!text.startsWith(previous.text)) return previous;
  return { cut, text };
}

/**
 * A stream's release state, for a caller that feeds it the growing text. Pure apart from its own
 * memory of what was released.
 */
export class StreamWindow {
  private released: Released = nothingReleased;

  constructor(private readonly options: StreamWindowOptions = {}) {}

  /** The gated prefix that may be released after `received` arrived. */
  update(received: string): string {
    this.released = releasePrefix(received, this.options, this.released);
    return this.released.text;
  }

  /** The whole text, gated, once the stream has ended (or what was released, if that disagrees). */
  flush(received: string): string {
    this.released = releasePrefix(received, this.options, this.released, true);
    return this.released.text;
  }

  get text(): string {
    return this.released.text;
  }
}
