// Person names: compromise's NLP (people()) where it is likely to find something, plus its
// first-name lexicon. Running the full NLP on every sentence of every prompt costs ~10 ms per
// 2 KB, so it runs only on a window of words around each known given name or honorific.
import nlp from 'compromise';
import type { PiiSpan } from './pii-span';

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one.lexicon;
const givenNameTag = /^(MaleName|FemaleName|FirstName)$/;
const honorificWord = /^(mr|mrs|ms|miss|mx|dr|prof|sir|madam|herr|frau)$/i;
// Given names that are also everyday words are only names when capitalised.
const commonWords = new Set(['will', 'may', 'june', 'april', 'august', 'bill', 'mark', 'grace', 'hope', 'joy', 'faith', 'rose', 'summer', 'dawn', 'art', 'chase', 'page', 'lane', 'park', 'hall', 'young', 'king', 'long', 'case', 'bell', 'price', 'rich', 'frank', 'guy', 'ray', 'pat', 'rob', 'don', 'jack', 'max', 'ken', 'sandy', 'dean', 'major', 'son', 'gene', 'sky', 'amber', 'ruby', 'crystal', 'destiny', 'harmony', 'iris', 'ivy', 'lily', 'daisy', 'violet', 'hazel', 'autumn', 'river', 'star', 'angel', 'christian', 'sterling', 'glen', 'dale', 'cliff', 'forest', 'earl', 'baron', 'duke', 'prince', 'queen', 'king']);
const wordPattern = /[\p{L}][\p{L}'’-]*/gu;

function isGivenName(word: string): boolean {
  const tag = lexicon[word.toLowerCase()];
  if (typeof tag !== 'string' || !givenNameTag.test(tag)) return false;
  return !commonWords.has(word.toLowerCase()) || /^\p{Lu}/u.test(word);
}

/** Words either side of a name hit that compromise sees; enough context for "Dr. Anna van der Berg". */
const contextWords = 4;

/** Person-name spans in `text`, offsets into it. */
export function detectPersonNames(text: string): PiiSpan[] {
  const words = [...text.matchAll(wordPattern)].map((match) => ({ value: match[0], start: match.index ?? 0, end: (match.index ?? 0) + match[0].length }));
  const lexiconHits: PiiSpan[] = [];
  // Windows of words around each given name or honorific; compromise reads only these,
  // because running it over a whole 2 KB prompt costs ~10 ms and most text holds no name.
  const windows: { first: number; last: number }[] = [];
  words.forEach((word, index) => {
    const given = isGivenName(word.value);
    if (given) lexiconHits.push({ type: 'PERSON', start: word.start, end: word.end, value: word.value });
    if (!given && !honorificWord.test(word.value)) return;
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
      const start = offset + position.start;
      const value = text.slice(start, start + position.length);
      // compromise includes honorifics in the person ("Ms. Smith"); the title is not PII.
      const title = value.match(/^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|herr|frau)\.?\s+/i)?.[0].length ?? 0;
      if (position.length > title) spans.push({ type: 'PERSON', start: start + title, end: start + position.length, value: value.slice(title) });
    }
  }
  // A lexicon hit compromise did not confirm counts only when capitalised: lower-case "sue" or
  // "bill" in running text is a verb or a noun far more often than a name.
  const unconfirmed = lexiconHits.filter((hit) => /^\p{Lu}/u.test(hit.value) && !spans.some((span) => hit.start < span.end && span.start < hit.end));
  return [...spans, ...unconfirmed];
}
