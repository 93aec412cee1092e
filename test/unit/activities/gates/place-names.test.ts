import { detectPii } from '../../../../activities/gates/pii/detect-pii';
import { PiiGate } from '../../../../activities/gates/pii/pii-gate';
import { restorePlaceholders } from '../../../../activities/gates/pii/redaction';
import { gateSetConfigSchema } from '../../../../contracts/gate-config';

// The optional LOCATION type: places GeoNames knows, where the text puts a place.
const places = (text: string) => detectPii(text, ['PERSON', 'LOCATION'])
  .filter((span) => span.type === 'LOCATION').map((span) => span.value);

describe('place names (optional LOCATION type)', () => {
  it('finds countries, states and cities, one word or several, accents and capitals alike', () => {
    expect(places('We moved here from Estonia last spring.')).toEqual(['Estonia']);
    expect(places('I will be travelling to Czech Republic next week.')).toEqual(['Czech Republic']);
    expect(places("I'm glad to hear that Uruguay is moving in that direction.")).toEqual(['Uruguay']);
    expect(places('The Princess Royal arrived at Hasle this morning from Denmark.')).toEqual(['Hasle', 'Denmark']);
    expect(places('Our office in Goiânia opens on Monday, and the one in SEINÄJOKI too.')).toEqual(
      ['Goiânia', 'SEINÄJOKI']);
  });

  it('reads the town and country of an address block or line', () => {
    expect(places('Alma Jensen\n4844 Søndergade 52\n Apt. 656\n Brønderslev\n\n Denmark 35018')).toEqual(
      ['Brønderslev', 'Denmark']);
    expect(places('Send it to 87331 Dunajska 56, Studenec please.')).toEqual(['Studenec']);
  });

  it('needs the text to say a place is meant where the name is also a word or a person', () => {
    expect(places('Reading is fun, and Nice work on the Mobile release.')).toEqual([]);
    expect(places('She has lived in Reading since 2010.')).toEqual(['Reading']);
    expect(places('The mission flew in March 1969 with the Gemini veterans.')).toEqual([]);
    expect(places('Is the Naruto headband symbol Japanese?')).toEqual([]);
    expect(places('Taylor said the plan was fine.')).toEqual([]);
  });

  it('leaves names of other things that contain a place: films, schools, streets, firms', () => {
    expect(places('What are the unrealistic parts of The Lego Batman Movie?')).toEqual([]);
    expect(places('The tuition for a course at Cornell Tech is high.')).toEqual([]);
    expect(places('She lives on Nelson Mandela Drive near the Rue Descartes.')).toEqual([]);
  });

  it('gives way to a person found in the same words', () => {
    const spans = (text: string) => detectPii(text, ['PERSON', 'LOCATION']).map((span) => [span.type, span.value]);
    expect(spans('We met Victoria Adams in Victoria.')).toEqual(
      [['PERSON', 'Victoria Adams'], ['LOCATION', 'Victoria']]);
    expect(spans('Please ask Sydney Carter about the report.')).toEqual([['PERSON', 'Sydney Carter']]);
  });

  it('is off unless a route asks for it, and redacts to [LOCATION_n] when it does', () => {
    const text = 'Ship it to my flat in Tallinn, Estonia.';
    const defaults = gateSetConfigSchema.parse({});
    expect(defaults.input.pii.types).not.toContain('LOCATION');
    expect(defaults.output.piiLeak.types).not.toContain('LOCATION');
    expect(detectPii(text, defaults.input.pii.types)).toEqual([]);
    const gate = new PiiGate({ types: ['PERSON', 'LOCATION'], action: 'redact', defaultRegion: 'US' });
    const decision = gate.check(text);
    expect(decision.redactedText).toBe('Ship it to my flat in [LOCATION_1], [LOCATION_2].');
    expect(decision.redactions).toEqual({ '[LOCATION_1]': 'Tallinn', '[LOCATION_2]': 'Estonia' });
    // The answer gets the user's own values back, as for every other type.
    expect(restorePlaceholders('Shipping to [LOCATION_1] ([LOCATION_2]) takes two days.', decision.redactions!))
      .toBe('Shipping to Tallinn (Estonia) takes two days.');
  });
});
