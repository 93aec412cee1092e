import { detectPii } from '../../../../activities/gates/pii/detect-pii';
import type { PiiType } from '../../../../contracts/gates';

// Guards for issue #12: phones need a phone's context or shape, and names are found beyond
// compromise's English given-name list. Each case stands for a class of error seen in evaluation.
const valuesOf = (text: string, types: PiiType[]) => detectPii(text, types).map((span) => span.value);
const phones = (text: string) => valuesOf(text, ['PHONE']);
const people = (text: string) => valuesOf(text, ['PERSON']);

describe('phone numbers need context or a phone shape', () => {
  it('does not take year ranges for phones, with any dash', () => {
    expect(phones('He served in the army 1990-1995 and then taught.')).toEqual([]);
    expect(phones('Most of the war poems were written during 1914–1918.')).toEqual([]);
    expect(phones('Call me about the 1939 — 1945 period.')).toEqual([]);
  });

  it('does not take ZIP codes, street numbers or plain numbers for phones', () => {
    expect(phones('Send it to Boston, MA 02118-4521 please.')).toEqual([]);
    expect(phones('The letter arrived at 636 1812 Rue De La Gare last night.')).toEqual([]);
    expect(phones('She lives at 3178 254 Damvergi Street, Nicosia.')).toEqual([]);
    expect(phones('The city had 4 512 300 inhabitants in 2011.')).toEqual([]);
    expect(phones("My driver's license number is 2270-66-1551")).toEqual([]);
  });

  it('still finds phones written with a phone word or in a phone shape', () => {
    expect(phones('Can someone call me on 9472 7916? I have questions.')).toEqual(['9472 7916']);
    expect(phones('Phone:\n467 3395\n\nE-mail: a@b.io')).toEqual(['467 3395']);
    expect(phones('082 490 1693-Office\\,3660170548-Fax')).toEqual(['082 490 1693', '3660170548']);
    expect(phones('Our desk is (555) 123-4567 or 555-123-4567.')).toEqual(['(555) 123-4567', '555-123-4567']);
    expect(phones('The London office: +44 20 7946 0958.')).toEqual(['+44 20 7946 0958']);
  });
});

describe('twelve-digit cards', () => {
  it('are cards after the word "card", and not otherwise', () => {
    expect(valuesOf('Need to change billing date of my card 503867297114', ['CREDIT_CARD'])).toEqual(['503867297114']);
    expect(valuesOf('Order 503867297114 shipped today', ['CREDIT_CARD'])).toEqual([]);
  });
});

describe('person names beyond the given-name lexicon', () => {
  it('finds names compromise does not know, from the words around them', () => {
    expect(people('"Norway is moving in that direction," says Eklund.')).toEqual(['Eklund']);
    expect(people('Have you been to a Calquín Cazares concert before?')).toEqual(['Calquín Cazares']);
    expect(people('Ravil G Yefimov will be talking in the conference')).toEqual(['Ravil G Yefimov']);
    expect(people('Follow up with Jan Jílek in a couple of months.')).toEqual(['Jan Jílek']);
    expect(people('For my take on Mrs. Baker, see the list.')).toEqual(['Baker']);
  });

  it('finds every mention of a name it found once', () => {
    expect(people('Tómas had given Tómas his address')).toEqual(['Tómas', 'Tómas']);
  });

  it('leaves streets, organisations and places alone', () => {
    expect(people('The restaurant is at 19 1755 Nelson Mandela Drive')).toEqual([]);
    expect(people('Russell Investments is a design agency')).toEqual([]);
    expect(people('Celebrating its 10th year in Palhais, the festival grew.')).toEqual([]);
    expect(people('Hurricane Dora passed north of the city.')).toEqual([]);
  });
});
