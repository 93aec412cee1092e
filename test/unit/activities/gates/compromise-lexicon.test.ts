import nlp from 'compromise';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCommonWord, isGivenName, isNotPersonWord, isSurname } from '../../../../activities/gates/pii/name-lexicon';

const compromiseLexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;
const tagsOf = (word: string): string[] => [compromiseLexicon[word] ?? []].flat();
const given = ['MaleName', 'FemaleName', 'FirstName'];
const surname = ['LastName', 'Person'];
const notPerson = ['Place', 'City', 'Country', 'Region', 'Organization', 'Month', 'WeekDay', 'Holiday'];
const has = (word: string, group: string[]) => tagsOf(word).some((tag) => group.includes(tag));

describe("compromise's lexicon as exported for the PII gate (scripts/export-compromise-lexicon.mjs)", () => {
  const singleWords = Object.keys(compromiseLexicon).filter((word) => !/\s/.test(word) && word === word.toLowerCase());

  it('was exported from the installed compromise (rerun the script after upgrading it)', () => {
    const exportPath = join(__dirname, '../../../../activities/gates/pii/compromise-lexicon.json');
    const exported = JSON.parse(readFileSync(exportPath, 'utf8')) as { source: string; words: Record<string, string[]> };
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../../node_modules/compromise/package.json'),
      'utf8')) as { version: string };
    expect(exported.source).toBe(`compromise@${version}`);
    const words = Object.values(exported.words).flat().flatMap((line) => line.split(' '));
    expect(words.sort()).toEqual([...singleWords].sort());
  });

  it("answers every word as compromise's own lexicon does", () => {
    expect(singleWords.length).toBeGreaterThan(15_000);
    const disagreements = singleWords.filter((word) =>
      isGivenName(word) !== has(word, given) || isSurname(word) !== has(word, surname)
      || isNotPersonWord(word) !== (has(word, notPerson) && !has(word, given) && !has(word, surname))
      || !isCommonWord(word));
    expect(disagreements).toEqual([]);
    // Capitalised spellings are looked up lower-cased.
    expect([isGivenName('Mary'), isSurname('Smith'), isNotPersonWord('Paris'), isNotPersonWord('Mary')])
      .toEqual([true, true, true, false]);
  });
});
