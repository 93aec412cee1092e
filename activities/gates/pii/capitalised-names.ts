// Person names among capitalised phrases ("Ravil G Yefimov", "Hülya Bouwmeester"), judged from
// the words themselves (given names and surnames compromise or Faker's name lists know, rare words)
// and from the words next to them (a title, "my name is", "says", "lives at"). Cheap enough for every
// prompt: a regex pass, lexicon lookups, and a BPE lookup only for capitalised words the lexicon lacks.
import type { PiiSpan, TextMatch } from './pii-span';
import { isCommonWord, isGivenName, isNotPersonWord, isSurname } from './name-lexicon';
import { isListedName } from './name-gazetteer';
import {
  honorific, nameParticles, nonPersonHeads, organisationWords, placeNounsAfter, placeOrOrganisationBefore, roleCueBefore,
  streetPrefixes, streetWords, strongCueAfter, strongCueBefore, travelBefore, personNameCueBefore, kinBefore,
} from './name-context';

interface Word { value: string; start: number; end: number }
/** A run of capitalised words, initials and particles on one line. */
interface Phrase { words: Word[]; start: number; end: number }

const wordPattern = /\p{L}[\p{L}\p{M}'’-]*/gu;
const capitalised = /^\p{Lu}(?!-)[\p{Ll}\p{M}'’-]*\p{Ll}[\p{L}\p{M}'’-]*$/u;
const initial = /^\p{Lu}$/u;
const titleCase = /^(?:Mc|Mac)?\p{Lu}[\p{Ll}\p{M}]*(?:['’-]\p{L}[\p{Ll}\p{M}]*)*$/u;
// Words that start the rest of an address line after a name ("Jennifer Alcaraz Suite 541").
const unitWords = new Set(['suite', 'apt', 'apartment', 'unit', 'box', 'floor', 'room', 'building', 'po']);
// "I'm", "I've", "I'd", "I'll": capitalised like a name, and once taken for one ("explain like I'm five").
const firstPersonContraction = /^I['’](?:m|ve|d|ll)$/u;

/** The text on the same line before and after `start`..`end`, and the words right before and after, lower-cased. */
function neighboursOnLine(text: string, start: number, end: number) {
  const lineBefore = text.slice(Math.max(0, start - 40), start).split('\n').pop() ?? '';
  const lineAfter = text.slice(end, end + 30).split('\n')[0] ?? '';
  const nextWord = /^[ .,]*(\p{L}+)/u.exec(lineAfter)?.[1]?.toLowerCase() ?? '';
  const previousWord = /(\p{L}+)[^\p{L}]*$/u.exec(lineBefore)?.[1]?.toLowerCase() ?? '';
  return { lineBefore, lineAfter, nextWord, previousWord };
}

const streetOrFirmAround = ({ nextWord, previousWord }: { nextWord: string; previousWord: string }): boolean =>
  streetWords.has(nextWord) || organisationWords.has(nextWord) || streetPrefixes.has(previousWord);

/**
 * A street or firm named by the words at `start`..`end`: a street word or company word right after them, or a
 * street prefix right before them ("Nelson Mandela Drive", "Russell Investments", "Rue Descartes").
 */
export const namesStreetOrFirm = (text: string, start: number, end: number): boolean =>
  streetOrFirmAround(neighboursOnLine(text, start, end));

/**
 * True when the words around `start`..`end` make it part of an address or an organisation's name:
 * a street word or company suffix at its end or right after it ("Nelson Mandela Drive",
 * "Russell Investments"), a number just before or after it on the line ("46 Velký Průhon",
 * "Jana Nerudy 894"), or a preposition of place ("in Monroe") before a phrase with no given name.
 */
export function isAddressOrOrganisation(text: string, start: number, end: number): boolean {
  const value = text.slice(start, end);
  const lastWord = /(\p{L}+)\W*$/u.exec(value)?.[1]?.toLowerCase() ?? '';
  const neighbours = neighboursOnLine(text, start, end);
  const { lineBefore, lineAfter, previousWord } = neighbours;
  if (streetWords.has(lastWord) || organisationWords.has(lastWord) || streetOrFirmAround(neighbours)) return true;
  if (!/\s/.test(value) && placeNounsAfter.has(neighbours.nextWord)) return true;
  if (/\d[\s,]*$/.test(lineBefore) || /^[ ,]*\d/.test(lineAfter)) return true;
  if (isInFirmName(text, start, end)) return true;
  const hasGivenName = value.split(/\s+/).some((word) => isGivenName(word));
  const placeBefore = (placeOrOrganisationBefore.has(previousWord) && /\s$/.test(lineBefore))
    || travelBefore.test(lineBefore);
  return placeBefore && !hasGivenName;
}

// Three bare surnames joined as a list ("Barnett, Melton and Garcia") name a firm, as law and
// accounting firms are named; people are listed with a given name somewhere ("Anna, Jackson and Campos").
const bareWord = String.raw`(\p{Lu}[\p{Ll}\p{M}'’-]+)`;
const firmName = new RegExp(
  String.raw`(?<![\p{L}\p{M}])${bareWord}, ${bareWord},? (?:and|&) ${bareWord}(?![\p{L}\p{M}])`, 'gu');

/** After a colon the words at `start` are being listed ("our 3 founders: Morrison, Rogers and Torres"). */
export const opensAList = (text: string, start: number): boolean =>
  /:\s*$/.test(text.slice(Math.max(0, start - 3), start));

/** The firms' names of that shape between `from` and `to`: three bare surnames, no given name, not after a colon. */
export function* surnameListFirms(
  text: string, from = 0, to = text.length,
): Generator<TextMatch & { names: string[] }> {
  for (const match of text.slice(from, to).matchAll(firmName)) {
    const start = from + (match.index ?? 0);
    const names = match.slice(1) as string[];
    if (!opensAList(text, start) && !names.some((word) => isGivenName(word))) {
      yield { value: match[0], start, end: start + match[0].length, names };
    }
  }
}

function isInFirmName(text: string, start: number, end: number): boolean {
  for (const firm of surnameListFirms(text, Math.max(0, start - 60), end + 60)) {
    if (firm.start <= start && end <= firm.end) return true;
  }
  return false;
}

function phrasesOf(text: string): Phrase[] {
  const phrases: Phrase[] = [];
  let current: Word[] = [];
  const close = () => {
    // A phrase neither starts nor ends with an initial or particle ("and A", "de").
    while (current.length && !capitalised.test(current[current.length - 1]!.value)) current.pop();
    while (current.length && !capitalised.test(current[0]!.value)) current.shift();
    if (current.length) {
      phrases.push({ words: current, start: current[0]!.start, end: current[current.length - 1]!.end });
    }
    current = [];
  };
  for (const match of text.matchAll(wordPattern)) {
    const start = match.index ?? 0;
    // A possessive ends the name: "Arne's" is "Arne".
    const value = match[0].replace(/['’]s$/u, '');
    const word = { value, start, end: start + value.length };
    const nameLike = (capitalised.test(value) && !unitWords.has(value.toLowerCase())
      && !firstPersonContraction.test(value)) || initial.test(value) || nameParticles.has(value);
    const previous = current[current.length - 1];
    const gap = previous ? text.slice(previous.end, start) : '';
    const joined = previous && (/^ {1,2}$/.test(gap) || (initial.test(previous.value) && /^\. ?$/.test(gap)));
    if (!nameLike || (previous && !joined)) close();
    if (nameLike) current.push(word);
    if (value !== match[0]) close();
  }
  close();
  return phrases;
}

/** At the start of the text or after a sentence's end (looking back a few characters only). */
function isSentenceStart(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 4), start);
  return /[.!?\n]\s*$/.test(before) || (start === before.length && /^\s*$/.test(before));
}

/** Words of a phrase that can carry a name (not initials or particles). */
const nameWordsOf = (phrase: Phrase) => phrase.words.filter((word) => capitalised.test(word.value));

/** What the phrase's words and neighbours say; the rules in `isPersonPhrase` weigh them. */
interface Evidence {
  nameWords: number; lexiconNames: number; rare: number; common: number; notPerson: number; hasInitial: boolean;
  firstIsGiven: boolean; titleBefore: boolean; strongBefore: boolean; roleBefore: boolean; strongAfter: boolean;
  nameCueBefore: boolean; kinBefore: boolean; veto: boolean;
}

function evidenceFor(text: string, phrase: Phrase): Evidence {
  const nameWords = nameWordsOf(phrase);
  const before = text.slice(Math.max(0, phrase.start - 40), phrase.start);
  const after = text.slice(phrase.end, phrase.end + 30);
  let lexiconNames = 0, rare = 0, common = 0, notPerson = 0;
  for (const word of nameWords) {
    // A word ending in a capital after small letters ("IaaS", "PaaS") is a term, not a name.
    if (/\p{Ll}\p{Lu}$/u.test(word.value)) notPerson += 1;
    else if (isGivenName(word.value) || isSurname(word.value)) lexiconNames += 1;
    else if (isNotPersonWord(word.value)) notPerson += 1;
    else if (isCommonWord(word.value)) common += 1;
    // A rare word a name list knows ("Krylova") is as good as one compromise knows; a word with
    // capitals inside ("PhoneGap") is a term, whatever a list says.
    else if (titleCase.test(word.value) && isListedName(word.value)) lexiconNames += 1;
    else rare += 1;
  }
  return {
    nameWords: nameWords.length, lexiconNames, rare, common, notPerson,
    hasInitial: phrase.words.some((word) => initial.test(word.value)),
    firstIsGiven: isGivenName(nameWords[0]!.value),
    titleBefore: /(?:^|[^\p{L}])(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|dame|lord|lady|herr|frau)\.?\s+$/iu.test(before),
    strongBefore: strongCueBefore.test(before) && !honorific.test(nameWords[0]!.value),
    roleBefore: roleCueBefore.test(before),
    strongAfter: strongCueAfter.test(after),
    nameCueBefore: personNameCueBefore.test(before), kinBefore: kinBefore.test(before),
    veto: isAddressOrOrganisation(text, phrase.start, phrase.end),
  };
}

function isPersonPhrase(evidence: Evidence): boolean {
  const { nameWords, lexiconNames, rare, common } = evidence;
  if (evidence.veto) return false;
  // Told it is someone's name, or someone's child or spouse: a person, whatever else the words are.
  if ((evidence.nameCueBefore || evidence.kinBefore) && nameWords <= 3) return true;
  // A place, month or organisation word rules a phrase out unless the other words are names:
  // "Paris" is not a person, "Jan Jílek" is.
  if (evidence.notPerson > 0 && (nameWords === 1 || lexiconNames + rare === 0)) return false;
  if (evidence.titleBefore) return true;
  // Every word a name or a rare word: "Calquín Cazares", "Maria Schneider", "Ravil G Yefimov".
  if (common === 0 && (lexiconNames > 0 || nameWords >= 2 || evidence.hasInitial)) return true;
  // A given name and a surname that is also a word: "Zoe Young", "Douglas Lind".
  if (evidence.firstIsGiven && nameWords >= 2) return true;
  // Otherwise a person cue and at least one name-like word: "says Eklund", "Delvis spent a year".
  const cue = evidence.strongBefore || evidence.strongAfter || evidence.roleBefore;
  return cue && lexiconNames + rare > 0;
}

/** Person-name spans among capitalised phrases of `text`. */
export function detectCapitalisedNames(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const phrase of phrasesOf(text)) {
    let words = phrase.words;
    // "Hurricane Dora", "Mount Hood": the head says what the rest names.
    if (nonPersonHeads.has(words[0]!.value.toLowerCase())) continue;
    // A sentence's first word is capitalised anyway: drop it when it is an everyday word ("Please"), unless
    // the sentence is the answer to a name question ("What's your name? Abbas Kadyrov").
    const answersName = personNameCueBefore.test(text.slice(Math.max(0, phrase.start - 40), phrase.start));
    while (words.length > 1 && !answersName && isCommonWord(words[0]!.value) && !isGivenName(words[0]!.value) &&
      isSentenceStart(text, words[0]!.start)) words = words.slice(1);
    if (honorific.test(words[0]!.value)) words = words.slice(1);
    while (words.length && !capitalised.test(words[0]!.value)) words = words.slice(1);
    if (!words.length) continue;
    const trimmed = { words, start: words[0]!.start, end: phrase.end };
    if (isPersonPhrase(evidenceFor(text, trimmed))) {
      const value = text.slice(trimmed.start, trimmed.end);
      spans.push({ type: 'PERSON', start: trimmed.start, end: trimmed.end, value });
    }
  }
  return spans;
}
