// Person names from two sources: capitalised phrases judged by their words and neighbours
// (capitalised-names.ts), and compromise's NLP, which also finds lower-case names ("ask john").
// Running compromise on every sentence of every prompt costs ~10 ms per 2 KB, so it reads only a
// window of words around each given name it knows or an honorific.
import nlp from 'compromise';
import { detectCapitalisedNames, isAddressOrOrganisation } from './capitalised-names';
import { detectIntroducedNames } from './introduced-names';
import { everydayGivenNames, isGivenName, isSurname } from './name-lexicon';
import { honorific, nonPersonHeads, titleWords } from './name-context';
import type { PiiSpan } from './pii-span';

const wordPattern = /[\p{L}][\p{L}'’-]*/gu;

function isKnownGivenName(word: string): boolean {
  if (!isGivenName(word)) return false;
  return !everydayGivenNames.has(word.toLowerCase()) || /^\p{Lu}/u.test(word);
}

/** Words either side of a name hit that compromise sees; enough context for "Dr. Anna van der Berg". */
const contextWords = 4;

/** Names compromise finds in windows around known given names and honorifics. */
function detectWithCompromise(text: string): PiiSpan[] {
  const words = [...text.matchAll(wordPattern)].map((match) => {
    const start = match.index ?? 0;
    return { value: match[0], start, end: start + match[0].length };
  });
  const windows: { first: number; last: number }[] = [];
  words.forEach((word, index) => {
    // Capitalised names are capitalised-names.ts's job; compromise is for lower-case ones ("ask john").
    if (/^\p{Lu}/u.test(word.value) || !isKnownGivenName(word.value)) return;
    const first = Math.max(0, index - contextWords);
    const last = Math.min(words.length - 1, index + contextWords);
    const previous = windows[windows.length - 1];
    if (previous && first <= previous.last + 1) previous.last = Math.max(previous.last, last);
    else windows.push({ first, last });
  });
  const spans: PiiSpan[] = [];
  for (const window of windows) {
    const offset = words[window.first]!.start;
    const windowText = text.slice(offset, words[window.last]!.end);
    const people = nlp(windowText).people().json({ offset: true }) as { offset: { start: number; length: number } }[];
    for (const { offset: position } of people) {
      let start = offset + position.start;
      let value = text.slice(start, start + position.length);
      // compromise includes honorifics ("Ms. Smith") and trailing punctuation; neither is the name.
      const title = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|herr|frau)\.?\s+/i.exec(value)?.[0].length ?? 0;
      start += title;
      value = value.slice(title).replace(/[\s,.;:!?]+$/u, '');
      // A lower-case word is a name only when compromise's lexicon says so ("sir bot" is not).
      const named = value.split(/\s+/).some((word) => isGivenName(word) || isSurname(word) || /^\p{Lu}/u.test(word));
      if (value && named) spans.push({ type: 'PERSON', start, end: start + value.length, value });
    }
  }
  return spans;
}

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
  const candidates = [...detectCapitalisedNames(text), ...detectWithCompromise(text), ...detectIntroducedNames(text)];
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
