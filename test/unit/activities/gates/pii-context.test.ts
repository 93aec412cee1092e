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

  it('does not take a number labelled as an order, ticket or case number for a phone, whatever its shape', () => {
    expect(phones('order 123-456-7890 status')).toEqual([]);
    expect(phones('Ticket #: 555.123.4567 was escalated.')).toEqual([]);
    expect(phones('Case 415-555-0199 was closed.')).toEqual([]);
    // A phone word still wins: the label is not the number's.
    expect(phones('Order line: call 555-123-4567.')).toEqual(['555-123-4567']);
  });

  it('still finds phones written with a phone word or in a phone shape', () => {
    expect(phones('Can someone call me on 9472 7916? I have questions.')).toEqual(['9472 7916']);
    expect(phones('Phone:\n467 3395\n\nE-mail: a@b.io')).toEqual(['467 3395']);
    expect(phones('082 490 1693-Office\\,3660170548-Fax')).toEqual(['082 490 1693', '3660170548']);
    expect(phones('Our desk is (555) 123-4567 or 555-123-4567.')).toEqual(['(555) 123-4567', '555-123-4567']);
    expect(phones('The London office: +44 20 7946 0958.')).toEqual(['+44 20 7946 0958']);
  });

  // Formats from Faker's phone providers in 19 locales (an independent generator), each missed before.
  it('reads "Tel." as a phone word, a bracketed country code and a slash after an area code', () => {
    expect(phones('Tel. 0423559206')).toEqual(['0423559206']);
    expect(phones('Tel. +1-261-617-5367x553')).toEqual(['+1-261-617-5367x553']);
    expect(phones('Contact: (+358) 893226936')).toEqual(['(+358) 893226936']);
    expect(phones('Please call me at 06-72/386 6342 tomorrow.')).toEqual(['06-72/386 6342']);
    expect(phones('Call me at (34)/524-7471')).toEqual(['(34)/524-7471']);
    // The period of a sentence still ends the clause a phone word reaches over.
    expect(phones('I will call. 1990/1995 8766 were the years.')).toEqual([]);
  });
});

describe('IBANs and cards inside other tokens', () => {
  it('takes an IBAN whose national check digit fails but whose mod-97 checksum holds', () => {
    expect(valuesOf('IBAN: FR6446759461910254450096070', ['IBAN'])).toEqual(['FR6446759461910254450096070']);
    expect(valuesOf('IBAN: FR6446759461910254450096071', ['IBAN'])).toEqual([]);
  });

  it('finds no card in the tail of an account number or an IBAN body', () => {
    expect(valuesOf('Send it to GB59RKVA5255511950086 by Friday.', ['CREDIT_CARD'])).toEqual([]);
    expect(valuesOf('My card: 4532276644577020.', ['CREDIT_CARD'])).toEqual(['4532276644577020']);
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

  it('reads a lone given name before a place noun as the city it names, and keeps it a person otherwise', () => {
    expect(people('Austin office parking')).toEqual([]);
    expect(people('Charlotte office address')).toEqual([]);
    expect(people('Sydney weather')).toEqual([]);
    expect(people('I met Austin yesterday.')).toEqual(['Austin']);
  });
});

describe('names from the Faker gazetteer, lower-case introductions and firm names', () => {
  it('takes a rare word that a name list knows for a name without any cue', () => {
    expect(people('What is your last name? Krylova')).toEqual(['Krylova']);
    expect(people('Why is Natasja so impulsive?')).toEqual(['Natasja']);
    // Not listed and no cue: still left alone, as before.
    expect(people('Why is Zorblatt so impulsive?')).toEqual([]);
  });

  it('does not take everyday words that are also listed names', () => {
    expect(people('Street lights were off. Key findings follow.')).toEqual([]);
    // A term with a capital inside is no name, even where a list has the word ("paas").
    expect(people('What are basic differences between IaaS, PaaS and SaaS?')).toEqual([]);
    expect(people('It may be too that McDowell was influenced by an earlier song.')).toEqual(['McDowell']);
  });

  it('finds lower-case names right after an introduction, and stops at an everyday word', () => {
    expect(people('my name is borna jerković but everyone calls me that')).toEqual(['borna jerković']);
    expect(people('name:    hyuuma t. maida address: unit 4')).toEqual(['hyuuma t. maida']);
    expect(people('the name is important')).toEqual([]);
    expect(people('name: 123 smith')).toEqual([]);
    // Things are called and named too; a form's bare "name:" needs a first and a last name.
    expect(people('Physicians were divided into non-Mongol physicians called otachi and others.')).toEqual([]);
    expect(people('metadata:\n  name: test-gateway\n  namespace: test')).toEqual([]);
  });

  it('reads three bare surnames joined as a list as a firm, unless a colon lists them', () => {
    expect(people('according to the Hubbard, Fox and Gillespie website')).toEqual([]);
    expect(people('the brainchild of our 3 founders: Morrison, Rogers and Torres.'))
      .toEqual(['Morrison', 'Rogers', 'Torres']);
  });

  it('takes a rare word spoken to for a name ("Jakobine, can I …"), not an everyday one', () => {
    expect(people('Jakobine, can I please speak to your manager?')).toEqual(['Jakobine']);
    expect(people('Sure, can you help me with this?')).toEqual([]);
    expect(people('Awwh, did you come to save me?')).toEqual([]);
  });

  it('reads a name after a travel verb as a place', () => {
    expect(people('Mrs. Schwarz flew to Coles on Sunday morning.')).toEqual(['Schwarz']);
  });
  it("takes what answers a name question, or follows \"name is\", for a name even when it is a word", () => {
    expect(people("What's your last name? Boyle")).toEqual(['Boyle']);
    expect(people("What's your name? Abbas Kadyrov")).toEqual(['Abbas Kadyrov']);
    expect(people('She was born in 1968. Her maiden name is Vida')).toEqual(['Vida']);
    expect(people("What's the weather like? Sunny")).toEqual([]);
  });

  it("takes a relative's name for a person even when it is also a place", () => {
    expect(people('I would like to remove my kid Florence from the will.')).toEqual(['Florence']);
    expect(people('We moved to Florence with the kids.')).toEqual([]);
  });
});
