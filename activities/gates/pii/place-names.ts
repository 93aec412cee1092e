// Place names for the PII gate's optional LOCATION type: capitalised phrases (or all-capital ones, as addresses
// are written) that a gazetteer of GeoNames' countries, US states and towns of 1,000 people or more knows
// (scripts/export-place-lexicon.py). Many places share their name with a word, a person or a brand ("Reading",
// "Taylor", "Naruto"), so the text must put a place there: a country, US state or city of 100,000 people counts
// unless its one word is an everyday word, a given name or a sentence's first word; a smaller town needs a place
// cue ("in", "from", a travel verb, ", <country>") or an address around it; an everyday word or a name needs a cue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { namesStreetOrFirm } from './capitalised-names';
import { streetWords, travelBefore } from './name-context';
import { isKnownName } from './name-gazetteer';
import { isEverydayWord, isGivenName } from './name-lexicon';
import type { PiiSpan } from './pii-span';

const placeFileSchema = z.object({
  source: z.string(), data: z.string(), sha256: z.string(), minPopulation: z.number(),
  majorPopulation: z.number(), places: z.array(z.string()).min(1), major: z.array(z.string()).min(1),
});

/** Where the exported gazetteer lives. */
export const placeGazetteerPath = join(__dirname, 'geonames-places.json');

let gazetteer: { places: ReadonlySet<string>; major: ReadonlySet<string> } | undefined;

// Read at first use only (1.7 MB of JSON): the type is off unless a route asks for it.
function loadGazetteer(): { places: ReadonlySet<string>; major: ReadonlySet<string> } {
  if (!gazetteer) {
    const file = placeFileSchema.parse(JSON.parse(readFileSync(placeGazetteerPath, 'utf8')));
    gazetteer = { places: new Set(file.places), major: new Set(file.major) };
  }
  return gazetteer;
}
const knownPlaces = () => loadGazetteer().places;
/** True when the gazetteer knows `name` as a place (any case, any accents). */
export const isKnownPlace = (name: string): boolean => knownPlaces().has(foldPlaceName(name));

/** Lower case without accents, as the export folds the gazetteer's names. */
export const foldPlaceName = (name: string): string =>
  name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** A capitalised or all-capital word, with inner apostrophes and hyphens ("Saint-Denis", "L'Aquila"). */
const placeWord = String.raw`\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*`;
/** Small words inside place names: "Ústí nad Labem", "Quinta de São Tiago", "Stoke on Trent". */
const connector = String.raw`(?:de|da|do|dos|das|del|della|di|du|la|le|les|los|las|nad|pod|am|im|an|upon|on|sur|en)`;
const phrasePattern = new RegExp(
  String.raw`(?<![\p{L}\p{M}'’-])${placeWord}(?: (?:${connector} )?${placeWord}){0,4}(?![\p{L}\p{M}])`, 'gu');
const wordPattern = /\S+/gu;

/** Words right before a phrase that put a place there. */
const placeCueBefore = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:in|at|from|near|via|across|around|outside|inside|within|throughout|towards?|` +
  String.raw`visit(?:ed|ing)?|born in|lives? in|living in|based in|city of|town of|village of)\s+$`, 'iu');
/** ", Finland" or ", Texas" after a phrase: a place followed by its country or state. */
const regionAfter = /^,\s*(\p{Lu}[\p{L}\p{M}]*(?: \p{Lu}[\p{L}\p{M}]*)?)/u;

/** True when the text around `start`..`end` says a place stands there. */
function placeCue(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 30), start);
  if (placeCueBefore.test(before) || travelBefore.test(before)) return true;
  const region = regionAfter.exec(text.slice(end, end + 40))?.[1];
  return region !== undefined && knownPlaces().has(foldPlaceName(region));
}

/** At the start of the text or right after a sentence's end (a line break alone is not one: address lines). */
function opensSentence(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 4), start);
  return (before.length === start && /^\s*$/.test(before)) || /[.!?][ \t]*$/.test(before);
}

/** Month and weekday names: "in March" is a time, whatever town is called March. */
const calendarWords = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

/**
 * Where an address puts a town: before its postcode on the line ("Brønderslev 9700", "Denmark, 35018"), after its
 * street, or on a line of its own ("Riisa" above "Estonia 62488").
 */
function addressContext(text: string, start: number, end: number): boolean {
  const lineBefore = text.slice(Math.max(0, start - 40), start).split('\n');
  const lineAfter = text.slice(end, end + 40).split('\n');
  if (/^,?[ \t]*\d{3,6}\b/.test(lineAfter[0]!)) return true;
  // After the street on the same line: "Dunajska 56, Studenec", "221B Baker Street, London".
  const street = /(\S+)\s*,\s*$/u.exec(lineBefore[lineBefore.length - 1]!)?.[1]?.toLowerCase().replace(/\.$/, '');
  if (street !== undefined && (/\d/.test(street) || streetWords.has(street))) return true;
  const alone = /^[\s>?*•-]*$/u.test(lineBefore[lineBefore.length - 1]!) && /^[\s,.]*$/u.test(lineAfter[0]!);
  return alone && (lineBefore.length > 1 || lineAfter.length > 1);
}

interface Word { value: string; start: number; end: number }
const isCapitalised = (word: Word) => /^\p{Lu}/u.test(word.value);

/**
 * Whether `words[first..last]` names a place here. A small town's name (under 100,000 people) is often also a
 * word, a person or a brand ("Naruto", "Gemini"), so it counts only where the text puts a place or an address;
 * a country, US state or large city counts unless its one word is an everyday word or opens a sentence.
 */
function isPlaceRun(text: string, words: readonly Word[], first: number, last: number): boolean {
  const [start, end] = [words[first]!.start, words[last]!.end];
  const folded = foldPlaceName(text.slice(start, end));
  if (!knownPlaces().has(folded)) return false;
  const named = words.slice(first, last + 1).filter(isCapitalised);
  if (named.length === 1 && calendarWords.has(named[0]!.value.toLowerCase())) return false;
  // Part of a longer name that is not a place: "Cornell Tech", "The Lego Batman Movie".
  const next = words[last + 1];
  if (next && isCapitalised(next) && !knownPlaces().has(foldPlaceName(next.value))) return false;
  const previous = words.slice(0, first).filter(isCapitalised).pop();
  if (previous && !isEverydayWord(previous.value) && !knownPlaces().has(foldPlaceName(previous.value))) return false;
  const cue = placeCue(text, start, end);
  const major = loadGazetteer().major.has(folded);
  const single = named.length === 1 ? named[0]!.value : undefined;
  // One everyday word or person's name ("Reading", "Taylor") is a place only where the text says so. Faker's name
  // lists hold many countries and cities as surnames ("Poland"), so for those only compromise's given names count.
  const ambiguousWord = single !== undefined
    && (isEverydayWord(single) || (major ? isGivenName(single) : isKnownName(single)));
  if (ambiguousWord) return cue;
  if (!major) return cue || addressContext(text, start, end);
  return cue || single === undefined || !opensSentence(text, start);
}

/** Place spans in `text`: for each capitalised phrase, its longest runs of words that name a known place. */
export function detectPlaceNames(text: string): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const phrase of text.matchAll(phrasePattern)) {
    const offset = phrase.index ?? 0;
    const words = [...phrase[0].matchAll(wordPattern)].map((word) => ({
      value: word[0], start: offset + (word.index ?? 0), end: offset + (word.index ?? 0) + word[0].length,
    }));
    let first = 0;
    while (first < words.length) {
      let last = words.length - 1;
      // Longest first; a run starts and ends on a capitalised word, never on a connector.
      while (last >= first && !(isCapitalised(words[first]!) && isCapitalised(words[last]!)
        && isPlaceRun(text, words, first, last))) last -= 1;
      const [start, end] = last >= first ? [words[first]!.start, words[last]!.end] : [0, 0];
      if (last >= first && !namesStreetOrFirm(text, start, end)) {
        found.push({ type: 'LOCATION', start, end, value: text.slice(start, end) });
        first = last + 1;
      } else {
        first += 1;
      }
    }
  }
  return found;
}
