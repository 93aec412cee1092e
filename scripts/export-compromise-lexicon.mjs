// Exports what the PII gate reads of compromise's lexicon to activities/gates/pii/compromise-lexicon.json:
// each single word compromise knows, with whether it tags it a given name, a surname, or a place, organisation,
// month, day or holiday. name-lexicon.ts reads the JSON, so a worker never loads compromise (~10 MiB of heap and
// code): compromise is a development dependency, for this script and
// test/unit/activities/gates/compromise-lexicon.test.ts, which fails when the JSON and the installed compromise
// differ: rerun this after upgrading it.
//   node scripts/export-compromise-lexicon.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nlp = require('compromise');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'compromise', 'package.json'), 'utf8'));

/** The tag groups name-lexicon.ts asks about, as bit flags (a word may carry several). */
const lexiconFlags = { givenName: 1, surname: 2, notPerson: 4 };
const groups = {
  givenName: ['MaleName', 'FemaleName', 'FirstName'],
  surname: ['LastName', 'Person'],
  notPerson: ['Place', 'City', 'Country', 'Region', 'Organization', 'Month', 'WeekDay', 'Holiday'],
};

const byFlags = {};
for (const [word, tags] of Object.entries(nlp.model().one.lexicon)) {
  // name-lexicon.ts looks up single lower-cased words; phrases ("give up") never match one.
  if (/\s/.test(word) || word !== word.toLowerCase() || tags === undefined) continue;
  const tagList = [tags].flat();
  let flags = 0;
  for (const [group, groupTags] of Object.entries(groups)) {
    if (tagList.some((tag) => groupTags.includes(tag))) flags |= lexiconFlags[group];
  }
  (byFlags[flags] ??= []).push(word);
}
/** The sorted words as space-separated lines of at most ~100 characters, so the file reads and diffs by line. */
function wordLines(list) {
  const lines = [''];
  for (const word of list.sort()) {
    const line = lines.at(-1);
    if (line && line.length + word.length >= 100) lines.push(word);
    else lines[lines.length - 1] = line ? `${line} ${word}` : word;
  }
  return lines;
}
const words = Object.fromEntries(Object.entries(byFlags).map(([flags, list]) => [flags, wordLines(list)]));
const path = join(root, 'activities', 'gates', 'pii', 'compromise-lexicon.json');
writeFileSync(path, `${JSON.stringify({ source: `compromise@${version}`, flags: lexiconFlags, words }, null, 1)}\n`);
process.stderr.write(`sluice: wrote ${path} (${Object.values(byFlags).flat().length} words)\n`);
