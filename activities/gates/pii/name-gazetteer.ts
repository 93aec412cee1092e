// A name gazetteer of ~45,000 given names and surnames from 87 locales: Faker's person lists (PyPI,
// MIT), exported once by scripts/export-name-lexicon.py. compromise knows few non-English names, so
// "Krylova" or "Natasja" were rare words that needed a cue ("my name is") to count as names. Many
// entries are also everyday words ("Street", "Paris", "Key"), so the PII gate asks the gazetteer only
// about words that are not common (name-lexicon.ts's isCommonWord).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isGivenName, isSurname } from './name-lexicon';

const gazetteerFileSchema = z.object({
  source: z.string(),
  sha256: z.string(),
  given: z.array(z.string()).min(1),
  surnames: z.array(z.string()).min(1),
});

/** Where the exported lists live. */
export const nameGazetteerPath = join(__dirname, 'faker-names.json');

let names: ReadonlySet<string> | undefined;

// Read at first use (~0.4 MB of JSON, a few MiB as one set), not at import. The gate asks only whether a
// word is a listed name of either kind, so given names and surnames share one lower-cased set.
function listedNames(): ReadonlySet<string> {
  if (!names) {
    const file = gazetteerFileSchema.parse(JSON.parse(readFileSync(nameGazetteerPath, 'utf8')));
    names = new Set([...file.given, ...file.surnames].map((name) => name.toLowerCase()));
  }
  return names;
}

/** True when Faker lists the word as a given name or a surname in some locale (any case). */
export const isListedName = (word: string): boolean => listedNames().has(word.toLowerCase());

/** A given name or surname that compromise's lexicon or Faker's lists know: towns and firms are often named so. */
export const isKnownName = (word: string): boolean => isGivenName(word) || isSurname(word) || isListedName(word);
