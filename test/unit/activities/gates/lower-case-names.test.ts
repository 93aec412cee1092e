import { detectPii } from '../../../../activities/gates/pii/detect-pii';
import { detectLowerCaseNames } from '../../../../activities/gates/pii/lower-case-names';

const names = (text: string) => detectLowerCaseNames(text).map((span) => span.value);
const persons = (text: string) => detectPii(text, ['PERSON']).map((span) => span.value);

describe('lower-case person names', () => {
  it('finds a known given name and the name words after it', () => {
    expect(names('please ask john about the invoice')).toEqual(['john']);
    expect(names('please call mary ann smith tomorrow')).toEqual(['mary ann smith']);
    expect(names('tell sarah that the build failed')).toEqual(['sarah']);
  });

  it('takes a rare word after the given name as its surname', () => {
    expect(names('tracy sukhorukova called about the refund')).toEqual(['tracy sukhorukova']);
    expect(names('forward it to olga krylova please')).toEqual(['olga krylova']);
    expect(names("where is olga krylova's order")).toEqual(['olga krylova']);
  });

  it('keeps particles inside a name, and only there', () => {
    expect(names('i met anna van der berg yesterday')).toEqual(['anna van der berg']);
    expect(names('a gift for anna de la')).toEqual(['anna']);
  });

  it('stops at an everyday word, a place, punctuation or a line break', () => {
    expect(names('naomi will call back')).toEqual(['naomi']);
    expect(names('sarah paris trip is booked')).toEqual(['sarah']);
    expect(names('john, smith and others')).toEqual(['john']);
    expect(names('thanks john\nsmithers')).toEqual(['john']);
  });

  it('reads a given name after a determiner or a possessive as a common noun', () => {
    expect(names("how does this lake's flora and fauna compare")).toEqual([]);
    expect(names('the flora of the region, and a jasmine tea')).toEqual([]);
    expect(names('ask the team and john')).toEqual(['john']);
  });

  it('ignores given names that are everyday words, and capitalised names (another detector takes those)', () => {
    expect(names('we will review it in may or june')).toEqual([]);
    expect(names('Ask John about it')).toEqual([]);
  });

  it('reaches the PII gate, titles removed', () => {
    expect(persons('please ask dr. anna van der berg and john')).toEqual(['anna van der berg', 'john']);
  });
});
