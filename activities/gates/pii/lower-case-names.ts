// Person names written in lower case ("ask john", "tracy sukhorukova called"): a given name the lexicon knows,
// not one that is also an everyday word ("will", "may"), and the name words right after it. Capitalised names
// are capitalised-names.ts's job.
//
// This replaced compromise's tagger (its `people()` over a window of words around each such given name): on the
// PII dev file it finds the same names and also the rare surnames compromise left out ("kristin crnić",
// "olga krylova"), and a worker no longer loads compromise (~10 MiB of heap and code).
import { everydayGivenNames, isCommonWord, isGivenName, isNotPersonWord, isSurname } from './name-lexicon';
import { matchesOf, type PiiSpan, type TextMatch } from './pii-span';

const wordPattern = /[\p{L}][\p{L}'’-]*/gu;
const possessive = /['’]s$/u;
/** Words inside a name ("anna van der berg"), kept only when a name word follows them. */
const particles = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'da', 'di', 'du', 'la', 'le', 'bin', 'ibn',
]);
/** Words after which a lower-case given name is a common noun: "the flora", "a jasmine tea", "this lake's flora". */
const determiners = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'its', 'their', 'our', 'your', 'his', 'her', 'some', 'any',
]);
/** At most this many words after the given name belong to the name. */
const maxFollowingWords = 3;

const isCapitalised = (word: string): boolean => /^\p{Lu}/u.test(word);

/** A given name the lexicon knows; in lower case, not one that is also an everyday word. */
function isKnownGivenName(word: string): boolean {
  if (!isGivenName(word)) return false;
  return !everydayGivenNames.has(word.toLowerCase()) || isCapitalised(word);
}

/**
 * A word that goes on a name: a given name or surname, or a rare word, never a place or an everyday given name.
 * After a particle any such word does ("anna van der berg"): the particle already says a surname follows.
 */
function continuesName(word: string, afterParticle: boolean): boolean {
  if (isNotPersonWord(word) || (!isCapitalised(word) && everydayGivenNames.has(word.toLowerCase()))) return false;
  return afterParticle || isGivenName(word) || isSurname(word) || !isCommonWord(word);
}

/** Whether `word` comes right after a determiner or a possessive ("lake's"), one space apart. */
function followsDeterminer(text: string, previous: TextMatch, word: TextMatch): boolean {
  if (text.slice(previous.end, word.start) !== ' ') return false;
  return determiners.has(previous.value.toLowerCase()) || possessive.test(previous.value);
}

/** Lower-case person names in `text`, offsets into it. */
export function detectLowerCaseNames(text: string): PiiSpan[] {
  const words = [...matchesOf(wordPattern, text)];
  const spans: PiiSpan[] = [];
  for (let first = 0; first < words.length; first++) {
    if (isCapitalised(words[first]!.value) || !isKnownGivenName(words[first]!.value)) continue;
    if (first > 0 && followsDeterminer(text, words[first - 1]!, words[first]!)) continue;
    let last = first;
    for (let next = first + 1; next < words.length && next <= first + maxFollowingWords; next++) {
      // Only words one space apart make one name: "john, smith" and "john\nsmith" are two.
      if (text.slice(words[next - 1]!.end, words[next]!.start) !== ' ') break;
      const word = words[next]!.value;
      if (particles.has(word.toLowerCase())) continue;
      if (!continuesName(word, next > last + 1)) break;
      last = next;
    }
    const { start } = words[first]!;
    // A possessive is not part of the name: "olga krylova's order".
    const end = words[last]!.end - (possessive.test(words[last]!.value) ? 2 : 0);
    spans.push({ type: 'PERSON', start, end, value: text.slice(start, end) });
    first = last;
  }
  return spans;
}
