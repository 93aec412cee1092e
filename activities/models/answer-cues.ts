/** What kind of answer a question asks for, from its wording; `other` when the wording says nothing. */
export type AnswerKind = 'time' | 'number' | 'person' | 'place' | 'name' | 'other';

// Checked in order: "how many years" asks for a number, "in what year" for a time, "who" for a person.
const kindCues: readonly [AnswerKind, RegExp][] = [
  ['number', new RegExp(
    '\\bhow (?:many|much|long|far|old|large|big|tall|high|often)\\b' +
    '|\\bwhat (?:percentage|percent|proportion|share|number|amount)\\b', 'i',
  )],
  ['time', new RegExp(
    '\\bwhen\\b|\\b(?:what|which) (?:year|years|decade|century|date|day|days|month|time|times|period|era|hours)\\b'
    + '|\\b(?:opening|business|office|support|working) hours\\b', 'i',
  )],
  ['person', /\bwho(?:m|se)?\b/i],
  // "What was the name / title of …", "what was it called": a proper name, as for person and place.
  ['name', /\b(?:name|title|nickname|called)\b/i],
  ['place', new RegExp(
    '\\bwhere\\b|\\b(?:what|which) (?:city|country|state|region|province|town|place|continent|island|river|county)\\b',
    'i',
  )],
];

/** The kind of answer `question` asks for. */
export function answerKindOf(question: string): AnswerKind {
  return kindCues.find(([, cue]) => cue.test(question))?.[0] ?? 'other';
}

// "May" is left out: as a word it is more often the verb.
const months = 'january|february|march|april|june|july|august|september|october|november|december';
// Weekdays and clock times answer "When is support available?" and "What are your opening hours?".
const weekdays = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays|weekends';
const timePattern = new RegExp(
  `\\b(?:1\\d{3}|20\\d{2})s?\\b|\\b\\d{1,2}(?:st|nd|rd|th) century\\b|\\b(?:${months}|${weekdays})\\b`
  // An era only beside a number: "Azure AD" is no date.
  + '|\\b\\d+ (?:BC|AD|BCE|CE)\\b|\\b(?:AD|CE) \\d+\\b|\\b\\d{1,2} ?(?:am|pm)\\b|\\baround the clock\\b', 'i',
);
/** Clock times and "24/7", read on the sentence as written (its words alone lose the colon). */
const clockPattern = /\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\b24\/7\b/;
const numberWords =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion';
const numberPattern = new RegExp(`\\d|\\b(?:${numberWords})\\b`, 'i');

/** Words of `text` in the order they appear, with whether each is capitalised and where it stands. */
function wordsOf(text: string): { word: string; capitalised: boolean; first: boolean }[] {
  return [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu)].map((match, index) => ({
    word: match[0].toLowerCase(), capitalised: /^\p{Lu}/u.test(match[0]),
    first: index === 0 || /[.!?:;"(]\s*$/u.test(text.slice(0, match.index)),
  }));
}

/**
 * Whether `sentence` holds something of the kind asked for that the question does not already say:
 * a year, date or century for `time`; a number for `number`; a capitalised name, not first in the
 * sentence, for `person`, `place` and `name`. Words of the question do not count: "When did Apollo 11 land?"
 * is not answered by the "11" it brings along.
 */
export function hasAnswerCue(kind: AnswerKind, sentence: string, questionWords: ReadonlySet<string>): boolean {
  if (kind === 'other') return false;
  const fresh = wordsOf(sentence).filter(({ word }) => !questionWords.has(word));
  if (kind === 'time') return timePattern.test(fresh.map(({ word }) => word).join(' ')) || clockPattern.test(sentence);
  if (kind === 'number') return fresh.some(({ word }) => numberPattern.test(word));
  return fresh.some(({ capitalised, first }) => capitalised && !first);
}

/** Lower-cased words of a question, for `hasAnswerCue`. */
export function questionWordsOf(question: string): Set<string> {
  return new Set(wordsOf(question).map(({ word }) => word));
}
