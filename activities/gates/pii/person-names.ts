// Person names from three sources: capitalised phrases judged by their words and neighbours
// (capitalised-names.ts), lower-case names after a known given name (lower-case-names.ts, "ask john"), and
// names after an introduction (introduced-names.ts, "my name is ...").
import { detectCapitalisedNames, isAddressOrOrganisation } from './capitalised-names';
import { detectIntroducedNames } from './introduced-names';
import { isGivenName } from './name-lexicon';
import { detectLowerCaseNames } from './lower-case-names';
import { nonPersonHeads, titleWords } from './name-context';
import type { PiiSpan } from './pii-span';

/** The span without leading titles and ranks ("President Lyndon B. Johnson" is "Lyndon B. Johnson"). */
function withoutTitle(span: PiiSpan): PiiSpan | undefined {
  const title = /^(?:[\p{L}-]+\.?\s+)*/u.exec(span.value)?.[0] ?? '';
  let cut = 0;
  for (const word of title.split(/\s+/).filter(Boolean)) {
    if (!word.toLowerCase().split('-').some((part) => titleWords.has(part.replace(/\.$/, '')))) break;
    cut = span.value.indexOf(word, cut) + word.length;
  }
  const rest = span.value.slice(cut).replace(/^\s+/, '');
  if (!rest) return undefined;
  const start = span.end - rest.length;
  return { ...span, start, value: rest };
}

/** Digits, all-capital acronyms ("EVA") and storm or place heads ("Hurricane Dora") are not names. */
function isPlausibleName(value: string): boolean {
  if (/\d/.test(value) || nonPersonHeads.has(value.split(/\s+/)[0]!.toLowerCase())) return false;
  return value.split(/\s+/).some((word) => !/^\p{Lu}{2,}\W*$/u.test(word) || isGivenName(word));
}

/** Person-name spans in `text`, offsets into it (they may overlap; detectPii resolves overlaps). */
export function detectPersonNames(text: string): PiiSpan[] {
  const candidates = [...detectCapitalisedNames(text), ...detectLowerCaseNames(text), ...detectIntroducedNames(text)];
  const found = candidates.flatMap((span) => {
    const trimmed = withoutTitle(span);
    return trimmed && isPlausibleName(trimmed.value) && !isAddressOrOrganisation(text, trimmed.start, trimmed.end)
      ? [trimmed] : [];
  });
  // A name found once is a name wherever else the same capitalised words appear in the text.
  const values = new Set(found.filter((span) => /^\p{Lu}/u.test(span.value)).map((span) => span.value));
  const escaped = [...values].map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (escaped.length) {
    const again = new RegExp(`(?<![\\p{L}\\p{M}])(?:${escaped.join('|')})(?![\\p{L}\\p{M}])`, 'gu');
    for (const match of text.matchAll(again)) {
      const start = match.index ?? 0;
      if (!found.some((span) => span.start < start + match[0].length && start < span.end)) {
        found.push({ type: 'PERSON', start, end: start + match[0].length, value: match[0] });
      }
    }
  }
  return found;
}
