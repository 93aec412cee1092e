// What one word says about a person name: compromise's lexicon (given names, surnames, places,
// organisations, months) and how common the word is in English. compromise knows ~3,000 given
// names but few non-English ones, and its lexicon is no dictionary ("street" and "concert" are
// missing), so commonness comes from a BPE vocabulary instead: a word that is one token of
// cl100k ("Street", "Concert", "Victoria") is common; one split into pieces ("Vestergaard",
// "Yefimov") is a rare word, which in capitals and outside a sentence start is most often a name.
import nlp from 'compromise';
import { sharedEncoding } from '../../tiktoken-encodings';

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one.lexicon;

/** The word's compromise tags, lower-cased lookup. */
function tagsOf(word: string): readonly string[] {
  const tags = lexicon[word.toLowerCase()];
  return tags === undefined ? [] : [tags].flat();
}

const givenNameTags = new Set(['MaleName', 'FemaleName', 'FirstName']);
const surnameTags = new Set(['LastName', 'Person']);
// Tags of words that, capitalised, name something other than a person.
const notPersonTags = new Set(['Place', 'City', 'Country', 'Region', 'Organization', 'Month', 'WeekDay', 'Holiday']);

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

export const isGivenName = (word: string): boolean => tagsOf(word).some((tag) => givenNameTags.has(tag));
export const isSurname = (word: string): boolean => tagsOf(word).some((tag) => surnameTags.has(tag));
/** A place, organisation, month or day in compromise's lexicon (and not also a name there). */
export const isNotPersonWord = (word: string): boolean => {
  const tags = tagsOf(word);
  const named = tags.some((tag) => givenNameTags.has(tag) || surnameTags.has(tag));
  return !named && tags.some((tag) => notPersonTags.has(tag));
};

/** True when the word is a single BPE token after a space: an everyday English word or a very common name. */
export function isCommonWord(word: string): boolean {
  // compromise's lexicon answers for the words it knows, without the slower BPE encoding.
  if (tagsOf(word).length > 0) return true;
  // The process's shared encoder (built on first use, ~0.5 s); workers load it anyway to count tokens.
  const encoding = sharedEncoding('cl100k_base');
  // Either spelling: "Salesperson" is two tokens, "salesperson" one.
  return encoding.encode(` ${word}`).length === 1 || encoding.encode(` ${word.toLowerCase()}`).length === 1;
}
