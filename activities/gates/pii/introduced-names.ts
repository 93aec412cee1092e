// Names written in lower case right after words that introduce a name ("my name is vitoria", "her
// maiden name is nyberg", "name: hyuuma t. maida"). Capitalised names are capitalised-names.ts's job and
// lower-case names after a known given name lower-case-names.ts's; these are the others, common in chat.
import { isCommonWord } from './name-lexicon';
import type { PiiSpan } from './pii-span';

// Only cues that say a person's name follows. "called" and "named" are not: "a protein called
// hemoglobin", "physicians called otachi". A form's bare "name:" needs two words ("name: test-gateway"
// is a YAML key's value).
const introductions: { cue: RegExp; minWords: number }[] = [
  {
    cue: new RegExp(String.raw`\b(?:(?:my|his|her|their|your|maiden|last|first|full|family|given|sur)\s*` +
      String.raw`name(?:\s+is|'s|’s|\s*:)|names\s+are|call\s+me|i\s+am\s+called|i['’]m\s+called)[ \t]*`, 'giu'),
    minWords: 1,
  },
  { cue: /(?:^|\n)[ \t]*name\s*:[ \t]*/giu, minWords: 2 },
];
const lowerWord = /^\p{Ll}[\p{Ll}\p{M}'’-]*$/u;
const initial = /^\p{Ll}\.?$/u;
const maxWords = 3;

/** Where the lower-case name words from `from` end, and how many there are (initials between them not counted). */
function nameWordsFrom(text: string, from: number): { end: number; words: number } {
  let end = from;
  let words = 0;
  // Word by word, each directly after the last (sticky): a digit or a line break ends the name.
  const token = /[ \t]*([\p{L}\p{M}'’.-]+)/uy;
  token.lastIndex = from;
  for (let match = token.exec(text); match && words < maxWords; match = token.exec(text)) {
    const word = match[1]!.replace(/\.$/u, '');
    const isName = lowerWord.test(word) && word.length >= 3 && !isCommonWord(word);
    if (!isName && !(words > 0 && initial.test(match[1]!))) break;
    if (isName) words += 1;
    end = token.lastIndex;
  }
  return { end, words };
}

/** Lower-case names after an introduction, up to three words and initials, none an everyday word. */
export function detectIntroducedNames(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const { cue, minWords } of introductions) {
    for (const match of text.matchAll(cue)) {
      const from = (match.index ?? 0) + match[0].length;
      const { end, words } = nameWordsFrom(text, from);
      const value = text.slice(from, end).replace(/[\s.]+$/u, '');
      if (words >= minWords) spans.push({ type: 'PERSON', start: from, end: from + value.length, value });
    }
  }
  return spans;
}
