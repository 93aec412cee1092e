// Names written in lower case right after words that introduce a name ("my name is vitoria", "her
// maiden name is nyberg", "name: hyuuma t. maida"). Capitalised names are capitalised-names.ts's job and
// lower-case English given names compromise's (person-names.ts); these are the others, common in chat.
import { isCommonWord } from './name-lexicon';
import type { PiiSpan } from './pii-span';

// Only cues that say a name follows: "by", "hi" or "user" are often followed by other rare words.
const introduction = /\b(?:name(?:\s+is|'s|’s|\s*:)|names\s+are|named|called|call\s+me)[ \t]*/giu;
const lowerWord = /^\p{Ll}[\p{Ll}\p{M}'’-]*$/u;
const initial = /^\p{Ll}\.?$/u;
const maxWords = 3;

/** Lower-case names after an introduction, up to three words and initials, none an everyday word. */
export function detectIntroducedNames(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const cue of text.matchAll(introduction)) {
    const from = (cue.index ?? 0) + cue[0].length;
    let end = from;
    let words = 0;
    // Word by word from the cue, each directly after the last (sticky): a digit or a line break ends the name.
    const token = /[ \t]*([\p{L}\p{M}'’.-]+)/uy;
    token.lastIndex = from;
    for (let match = token.exec(text); match && words < maxWords; match = token.exec(text)) {
      const word = match[1]!.replace(/\.$/u, '');
      const isName = lowerWord.test(word) && word.length >= 3 && !isCommonWord(word);
      if (!isName && !(words > 0 && initial.test(match[1]!))) break;
      if (isName) words += 1;
      end = token.lastIndex;
    }
    const value = text.slice(from, end).replace(/[\s.]+$/u, '');
    if (words > 0) spans.push({ type: 'PERSON', start: from, end: from + value.length, value });
  }
  return spans;
}
