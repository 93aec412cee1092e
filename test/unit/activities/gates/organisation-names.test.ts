import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectPii } from '../../../../activities/gates/pii/detect-pii';
import { companyListPath } from '../../../../activities/gates/pii/organisation-names';
import { gateSetConfigSchema } from '../../../../contracts/gate-config';

// The optional ORGANIZATION type: firms by the shape of their names and the words around them.
const firms = (text: string) => detectPii(text, ['PERSON', 'LOCATION', 'ORGANIZATION'])
  .filter((span) => span.type === 'ORGANIZATION').map((span) => span.value);

describe('organisation names (optional ORGANIZATION type)', () => {
  it('finds a name that ends in a company word, keeping an abbreviation\'s full stop', () => {
    expect(firms('During 2017, Allstate Insurance Group invested heavily.')).toEqual(['Allstate Insurance Group']);
    expect(firms('Jouko is from Gradiant Research LLC')).toEqual(['Gradiant Research LLC']);
    expect(firms('Please forward it to Smith Ltd. before Friday.')).toEqual(['Smith Ltd.']);
    expect(firms('We met at the Kenosha Country Club.')).toEqual(['Kenosha Country Club']);
  });

  it('finds firms named by their partners\' surnames, not lists of people', () => {
    expect(firms('Barnett, Melton and Garcia opened an office here.')).toEqual(['Barnett, Melton and Garcia']);
    expect(firms('During the 1990s, Hubbard-Thomas invested in new plants.')).toEqual(['Hubbard-Thomas']);
    expect(firms('Our founders: Morrison, Rogers and Torres.')).toEqual([]);
    expect(firms('Anna, Jackson and Campos went home.')).toEqual([]);
  });

  it('finds an employer after the words that introduce one, or after a person and "of"', () => {
    expect(firms('I used to work for Futureadvisor as a fumigator.')).toEqual(['Futureadvisor']);
    expect(firms('including Vladimír Jára of Civis Analytics and others')).toEqual(['Civis Analytics']);
    expect(firms('He is the most overrated director of Indian cinemas.')).toEqual([]);
    expect(firms('according to The Book of Discipline, members may')).toEqual([]);
    expect(firms('Maria Schneider of Berlin called.')).toEqual([]);
  });

  it('reads the firm line of a letterhead', () => {
    expect(firms('Ronald Pesälä\nTableau Software\n4844 Søndergade 52\nBrønderslev')).toEqual(['Tableau Software']);
    expect(firms('Zizi Kónya\nEnigmaio\n5850 Jana Nerudy 894')).toEqual(['Enigmaio']);
  });

  it('knows the companies of the stock indices, and needs a cue where the name is also a word', () => {
    expect(firms('I switched from Verizon to a cheaper plan, and Netflix raised its prices.'))
      .toEqual(['Verizon', 'Netflix']);
    expect(firms('She works at Apple and her brother works for Target.')).toEqual(['Apple', 'Target']);
    expect(firms('Apple pie recipes and Target practice at Amazon speed.')).toEqual([]);
    const file = JSON.parse(readFileSync(companyListPath, 'utf8')) as { sha256: string; companies: string[] };
    const root = join(__dirname, '..', '..', '..', '..');
    const exporter = readFileSync(join(root, 'scripts', 'export-company-lexicon.py'), 'utf8');
    expect(exporter).toContain(`EXPECTED_SHA256 = '${file.sha256}'`);
    expect(file.companies).toEqual(expect.arrayContaining(['allianz', 'citigroup', 'marriott international']));
  });

  it('is off unless a route asks for it', () => {
    const defaults = gateSetConfigSchema.parse({});
    expect(defaults.input.pii.types).not.toContain('ORGANIZATION');
    expect(detectPii('I work for Geoscape.', defaults.input.pii.types)).toEqual([]);
    expect(firms('I work for Geoscape.')).toEqual(['Geoscape']);
  });
});
