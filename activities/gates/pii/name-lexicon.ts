// What one word says about a person name: compromise's lexicon (given names, surnames, places,
// organisations, months) and how common the word is in English. compromise knows ~3,000 given
// names but few non-English ones, and its lexicon is no dictionary ("street" and "concert" are
// missing), so commonness comes from a BPE vocabulary instead: a word that is one token of
// cl100k ("Street", "Concert", "Victoria") is common; one split into pieces ("Vestergaard",
// "Yefimov") is a rare word, which in capitals and outside a sentence start is most often a name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sharedEncoding } from '../../tiktoken-encodings';

// compromise's lexicon as scripts/export-compromise-lexicon.mjs exports it: per flag value, the words
// carrying exactly those flags, as lines of space-separated words. Read from JSON so a worker need not load
// compromise itself, and read rather than required so the parsed JSON is not kept beside the map.
const lexiconSchema = z.object({
  flags: z.object({ givenName: z.number().int(), surname: z.number().int(), notPerson: z.number().int() }),
  words: z.record(z.string().regex(/^\d+$/), z.array(z.string())),
});
const lexiconPath = join(__dirname, 'compromise-lexicon.json');
const { flags, words } = lexiconSchema.parse(JSON.parse(readFileSync(lexiconPath, 'utf8')));
const lexicon = new Map<string, number>();
for (const [value, lines] of Object.entries(words)) {
  for (const word of lines.flatMap((line) => line.split(' '))) lexicon.set(word, Number(value));
}

/** The word's flags in compromise's lexicon (lower-cased lookup); undefined when compromise does not know it. */
const flagsOf = (word: string): number | undefined => lexicon.get(word.toLowerCase());

// Given names that are also everyday words are only names when capitalised.
export const everydayGivenNames = new Set([
  'will', 'may', 'june', 'april', 'august', 'bill', 'mark', 'grace', 'hope', 'joy', 'faith', 'rose', 'summer',
  'dawn', 'art', 'chase', 'page', 'lane', 'park', 'hall', 'young', 'king', 'long', 'case', 'bell', 'price', 'rich',
  'frank', 'guy', 'ray', 'pat', 'rob', 'don', 'jack', 'max', 'ken', 'sandy', 'dean', 'major', 'son', 'gene', 'sky',
  'amber', 'ruby', 'crystal', 'destiny', 'harmony', 'iris', 'ivy', 'lily', 'daisy', 'violet', 'hazel', 'autumn',
  'river', 'star', 'angel', 'christian', 'sterling', 'glen', 'dale', 'cliff', 'forest', 'earl', 'baron', 'duke',
  'prince', 'queen', 'carol', 'sue', 'penny', 'drew', 'wade', 'miles', 'bob', 'victor', 'ben', 'vic', 'van', 'bot',
  'mike', 'gay', 'barry', 'lee', 'rocky',
]);

export const isGivenName = (word: string): boolean => ((flagsOf(word) ?? 0) & flags.givenName) !== 0;
export const isSurname = (word: string): boolean => ((flagsOf(word) ?? 0) & flags.surname) !== 0;
/** A place, organisation, month, day or holiday in compromise's lexicon (and not also a name there). */
export const isNotPersonWord = (word: string): boolean =>
  ((flagsOf(word) ?? 0) & (flags.givenName | flags.surname | flags.notPerson)) === flags.notPerson;

/** True when the word is a single BPE token after a space: an everyday English word or a very common name. */
export function isCommonWord(word: string): boolean {
  // compromise's lexicon answers for the words it knows, without the slower BPE encoding.
  if (flagsOf(word) !== undefined) return true;
  // The process's shared encoder (built on first use, ~0.5 s); workers load it anyway to count tokens.
  const encoding = sharedEncoding('cl100k_base');
  // Either spelling: "Salesperson" is two tokens, "salesperson" one.
  return encoding.encode(` ${word}`).length === 1 || encoding.encode(` ${word.toLowerCase()}`).length === 1;
}

/**
 * A word English uses in lower case everyday ("reading", "split"): one cl100k token after a space once lower-cased,
 * and not a place compromise's lexicon knows ("france" and "texas" are single tokens too). Rarer proper nouns split
 * there ("estonia", "tallinn"). Unlike isCommonWord, a name compromise knows is not common here.
 */
export const isEverydayWord = (word: string): boolean =>
  !isNotPersonWord(word) && sharedEncoding('cl100k_base').encode(` ${word.toLowerCase()}`).length === 1;
