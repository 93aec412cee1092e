import { z } from 'zod';

// Checks for text a person typed. A question made only of zero-width or bidi marks looks empty
// to everyone who reads it, yet passes a length check and still gets an answer with citations.

/**
 * Characters that show nothing on their own: whitespace, C0/C1 controls, format characters
 * (zero-width U+200B–U+200D, U+2060, U+FEFF, bidi marks U+200E/U+200F, U+202A–U+202E,
 * U+2066–U+2069, tag characters U+E0000–U+E007F, soft hyphen…), variation selectors, the
 * combining grapheme joiner and the Hangul and braille fillers.
 */
const invisibleClass =
  '\\s\\p{Cc}\\p{Cf}\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\uFEFF\\u{E0000}-\\u{E007F}' +
  '\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}\\u180B-\\u180F\\u034F\\u115F\\u1160\\u3164\\uFFA0\\u2800';
const visibleCharacter = new RegExp(`[^${invisibleClass}]`, 'u');
/** A surrogate half without its pair: not valid Unicode, and not encodable as UTF-8. */
const loneSurrogate = /\p{Cs}/u;

/** True when `text` holds at least one character that shows on its own. */
export const hasVisibleText = (text: string): boolean => visibleCharacter.test(text);

/** True when `text` is valid Unicode (no lone surrogate halves). */
export const isWellFormedText = (text: string): boolean => !loneSurrogate.test(text);

/**
 * Adds the checks every free-text field a person writes should pass, each with its own message
 * (zod prefixes the field name): no NUL, valid Unicode, and something visible. An empty value is
 * left to the field's own `min(1)` so it gets one message, not two.
 */
export function refineVisibleText(text: string, context: z.RefinementCtx): void {
  if (text.includes('\u0000')) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must not contain NUL characters' });
  } else if (!isWellFormedText(text)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be valid Unicode (it holds a lone surrogate)' });
  } else if (text !== '' && !hasVisibleText(text)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must contain visible text' });
  }
}
