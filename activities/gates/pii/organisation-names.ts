// Organisation names for the PII gate's optional ORGANIZATION type, from how firms are named and spoken of:
// a capitalised phrase ending in a company word ("Areavibes Inc", "Allstate Insurance Group", "Smith Ltd."),
// surnames joined as law and accounting firms are named ("Barnett, Melton and Garcia", "Hubbard-Thomas"), a
// capitalised phrase after words that introduce an employer ("I work for Geoscape", "the CEO of Zillow") or after a
// person and "of" ("Josef Mališ of Importio"), the firm line of a letterhead, and the names of the ~1,800 companies
// in 20 stock indices (scripts/export-company-lexicon.py). A smaller firm named by one rare word with none of these
// around it is missed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isEverydayWord, isSurname } from './name-lexicon';
import { opensAList, surnameListFirms } from './capitalised-names';
import { isKnownName, isListedName } from './name-gazetteer';
import { organisationWords } from './name-context';
import { matchesOf, type PiiSpan } from './pii-span';
import { isKnownPlace } from './place-names';

/** Where the exported list of listed companies lives. */
export const companyListPath = join(__dirname, 'listed-companies.json');
const companyFileSchema = z.object({ source: z.string(), sha256: z.string(), companies: z.array(z.string()).min(1) });
let listedCompanies: ReadonlySet<string> | undefined;
// Read at first use only: the type is off unless a route asks for it.
function knownCompanies(): ReadonlySet<string> {
  listedCompanies ??= new Set(companyFileSchema.parse(JSON.parse(readFileSync(companyListPath, 'utf8'))).companies);
  return listedCompanies;
}

/** Words that end a firm's name: the PII gate's list, and a few that only name firms. */
const companyWords = new Set([...organisationWords, 'incorporated', 'limited', 'software', 'bancorp']);
/** Company words written as abbreviations, whose full stop belongs to the name ("Smith Ltd."). */
const abbreviations = new Set(['inc', 'ltd', 'co', 'corp', 'bros', 'plc', 'llc', 'ag', 'sa', 'bv', 'gmbh']);

// Each pattern starts only where a word starts (not after a hyphen, full stop or apostrophe inside one), so a long
// hyphenated or dotted run is read once, not once from each of its capitals.
const wordStart = String.raw`(?<![\p{L}\p{M}'’.-])`;
/** A capitalised word ("Allstate", "U.N.", "McKinsey"), an ampersand, or "and"/"of" inside a firm's name. */
const nameWord = String.raw`(?:\p{Lu}[\p{L}\p{M}'’.-]*|&)`;
const phrase = String.raw`${nameWord}(?: (?:(?:and|of|for|&) )?${nameWord}){0,4}`;
/** A person's name (two or three capitalised words) then "of" and the firm they belong to: "Vladimír Jára of ...". */
const personWord = String.raw`\p{Lu}[\p{L}\p{M}'’-]*`;
const personOf = new RegExp(
  String.raw`${wordStart}(${personWord}(?: \p{Lu}\.?)?(?: ${personWord}){1,2}) of (${phrase})`, 'gu');
// A letterhead: a person's name on one line, the firm on the next, the street (a number first) after it. A line's
// lead is spaces, then quote marks or bullets ("> ", "??? ") and spaces, never two runs of spaces in a row, so a
// long run of spaces is read once.
const lineLead = String.raw`[^\S\n]*(?:[>?*•-]+[^\S\n]*)?`;
const letterhead = new RegExp(
  String.raw`^${lineLead}\p{Lu}[\p{L}\p{M}'’.-]*(?: \p{Lu}[\p{L}\p{M}'’.-]*){1,3}[^\S\n]*\n` +
  String.raw`${lineLead}(${phrase})[^\S\n]*\n${lineLead}\d`, 'gmu');
/** A phrase that ends in a company word, with the comma some firms put before it ("Acme, Inc."). */
const suffixed = new RegExp(String.raw`${wordStart}${phrase}(?:,? \p{Lu}[\p{L}.]*)?(?![\p{L}\p{M}])`, 'gu');
/** Two surnames joined by a hyphen ("Hubbard-Thomas"); lists of three are capitalised-names.ts's surnameListFirms. */
const surnameWord = String.raw`(\p{Lu}[\p{Ll}\p{M}'’]+)`;
const hyphenFirm = new RegExp(String.raw`(?<![\p{L}\p{M}-])${surnameWord}-${surnameWord}(?![\p{L}\p{M}-])`, 'gu');
/** Words that introduce an employer or a firm, right before the capitalised phrase that names it. */
const employerCueBefore = new RegExp(
  String.raw`(?:\bwork(?:s|ed|ing)? (?:at|for)|\bemployed (?:at|by)|\bjoined|\b(?:ceo|cto|cfo|founder|co-founder|` +
  String.raw`chairman|chairwoman|president|director|employee|spokes(?:person|man|woman)) (?:of|at)|` +
  String.raw`\bcompany (?:called|named))\s+$`, 'iu');
const capitalisedPhrase = new RegExp(String.raw`${wordStart}${phrase}(?![\p{L}\p{M}])`, 'gu');

const lastWordOf = (value: string) => (/([\p{L}.]+)\W*$/u.exec(value)?.[1] ?? '').toLowerCase().replace(/\.$/, '');
const isKnownSurname = (word: string) => isSurname(word) || isListedName(word);

/** A phrase ending in a company word, with at least one name word before it ("Inc" alone is none). */
function suffixedFirms(text: string): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const match of matchesOf(suffixed, text)) {
    const words = match.value.split(/,? /);
    // The longest stretch from the phrase's start that ends on a company word.
    let last = words.length - 1;
    while (last > 0 && !companyWords.has(lastWordOf(words[last]!))) last -= 1;
    if (last === 0) continue;
    // A sentence's capitalised first word ("The", "During") is not part of the name.
    let first = 0;
    while (first < last && /^(?:The|A|An|At|In|For|During|From|With|By)$/.test(words[first]!)) first += 1;
    if (first === last) continue;
    const start = match.start + match.value.indexOf(words[first]!);
    // A full stop after a company word ends the sentence unless the word is an abbreviation ("Smith Ltd.").
    const endWord = abbreviations.has(lastWordOf(words[last]!)) ? words[last]! : words[last]!.replace(/\.$/, '');
    const end = match.start + match.value.lastIndexOf(words[last]!) + endWord.length;
    found.push({ type: 'ORGANIZATION', start, end, value: text.slice(start, end) });
  }
  return found;
}

/**
 * Firms named by their partners' surnames, each a surname some list knows. Three people are listed with a given
 * name among them ("Anna, Jackson and Campos"), which surnameListFirms leaves out; a hyphenated pair may hold one
 * ("Hubbard-Thomas"), and a person's double-barrelled name comes with a given name before it, which the PERSON type
 * takes first.
 */
function surnameFirms(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const firm of surnameListFirms(text)) {
    if (firm.names.every(isKnownSurname)) {
      spans.push({ type: 'ORGANIZATION', start: firm.start, end: firm.end, value: firm.value });
    }
  }
  for (const match of text.matchAll(hyphenFirm)) {
    const start = match.index ?? 0;
    if (opensAList(text, start) || !match.slice(1).every((word) => isKnownSurname(word!))) continue;
    spans.push({ type: 'ORGANIZATION', start, end: start + match[0].length, value: match[0] });
  }
  return spans;
}

/** Words that may follow a firm's name; any other lower-case word makes the phrase a modifier ("Indian cinemas"). */
const afterName = new Set([
  'as', 'in', 'at', 'for', 'and', 'or', 'since', 'until', 'from', 'to', 'on', 'with', 'where', 'when', 'which', 'who',
  'that', 'is', 'was', 'has', 'had', 'will', 'would', 'but', 'because', 'before', 'after', 'during', 'now', 'today',
]);
const followedByDescribedNoun = (text: string, end: number) => {
  const next = /^ (\p{Ll}+)/u.exec(text.slice(end, end + 30))?.[1];
  return next !== undefined && !afterName.has(next);
};

/** The capitalised phrase right after words that introduce an employer. */
function employers(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of matchesOf(capitalisedPhrase, text)) {
    if (!employerCueBefore.test(text.slice(Math.max(0, match.start - 40), match.start))) continue;
    if (followedByDescribedNoun(text, match.end)) continue;
    const value = match.value.replace(/[.,]$/, '');
    spans.push({ type: 'ORGANIZATION', start: match.start, end: match.start + value.length, value });
  }
  return spans;
}

/** The firm after a person's name and "of" ("Josef Mališ of Importio"), when it is not a known place. */
function peopleOfFirms(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(personOf)) {
    // A person: a name list's given name or surname first, and no everyday word ("The Book of ...").
    const person = match[1]!.split(' ').filter((word) => word.length > 2);
    const firm = match[2]!.replace(/[.,'’]$/u, '').replace(/['’]s$/u, '');
    if (!isKnownName(person[0]!) || person.some(isEverydayWord) || isKnownPlace(firm)) continue;
    if (followedByDescribedNoun(text, (match.index ?? 0) + match[0].length)) continue;
    const start = (match.index ?? 0) + match[0].length - match[2]!.length;
    spans.push({ type: 'ORGANIZATION', start, end: start + firm.length, value: firm });
  }
  return spans;
}

/** The firm line of a letterhead (a name line above it, a street line below it), when it is not a known place. */
function letterheadFirms(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(letterhead)) {
    const firm = match[1]!;
    if (isKnownPlace(firm)) continue;
    const start = (match.index ?? 0) + match[0].lastIndexOf(firm, match[0].length - 1);
    spans.push({ type: 'ORGANIZATION', start, end: start + firm.length, value: firm });
  }
  return spans;
}

/**
 * Listed companies named in the text: the longest run of a capitalised phrase that the list knows. One word that is
 * also an everyday word, a person's name or a place ("Apple", "Target", "Amazon") counts only after words that
 * introduce an employer; a company word after it ("Apple Inc.") is the suffix rule's.
 */
function listedFirms(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of matchesOf(capitalisedPhrase, text)) {
    const words = [...match.value.matchAll(/\S+/gu)]
      .map((word) => ({ value: word[0], start: match.start + (word.index ?? 0) }));
    for (let first = 0; first < words.length; first += 1) {
      for (let last = words.length - 1; last >= first; last -= 1) {
        const start = words[first]!.start;
        const end = words[last]!.start + words[last]!.value.replace(/[.,]$/, '').length;
        const value = text.slice(start, end);
        if (!knownCompanies().has(value.toLowerCase())) continue;
        const single = first === last ? value : undefined;
        const ambiguous = single !== undefined
          && (isEverydayWord(single) || isKnownName(single) || isKnownPlace(single));
        if (ambiguous && !employerCueBefore.test(text.slice(Math.max(0, start - 40), start))) continue;
        spans.push({ type: 'ORGANIZATION', start, end, value });
        first = last;
        break;
      }
    }
  }
  return spans;
}

/** Organisation spans in `text` (they may overlap; detectPii resolves overlaps). */
export function detectOrganisationNames(text: string): PiiSpan[] {
  return [...suffixedFirms(text), ...surnameFirms(text), ...employers(text), ...peopleOfFirms(text),
    ...letterheadFirms(text), ...listedFirms(text)];
}
