import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { placeGazetteerPath } from '../../../../activities/gates/pii/place-names';

// The exported gazetteer (scripts/export-place-lexicon.py) is committed; a re-export that lost a part of it
// (the countries, the major places, the accents' folding) would quietly change what the LOCATION type finds.
describe('the place gazetteer file', () => {
  const file = JSON.parse(readFileSync(placeGazetteerPath, 'utf8')) as {
    data: string; sha256: string; minPopulation: number; majorPopulation: number; places: string[]; major: string[];
  };
  const exporter = readFileSync(join(__dirname, '..', '..', '..', '..', 'scripts', 'export-place-lexicon.py'), 'utf8');

  it('names its data and licence, and comes from the wheel the exporter pins', () => {
    expect(file.data).toMatch(/GeoNames.*CC BY 4\.0/);
    expect(exporter).toContain(`EXPECTED_SHA256 = '${file.sha256}'`);
    expect([file.minPopulation, file.majorPopulation]).toEqual([1000, 100_000]);
  });

  it('holds folded, unique names, the major ones among them', () => {
    expect(file.places.length).toBeGreaterThan(100_000);
    expect(file.places.every((name) => name === name.toLowerCase() && name === name.normalize('NFKD')
      .replace(/\p{M}/gu, ''))).toBe(true);
    expect(new Set(file.places).size).toBe(file.places.length);
    const places = new Set(file.places);
    expect(file.major.every((name) => places.has(name))).toBe(true);
    for (const name of ['france', 'czech republic', 'netherlands', 'texas', 'new york', 'goiania', 'seinajoki']) {
      expect(places.has(name)).toBe(true);
    }
    expect(['france', 'texas', 'new york'].every((name) => file.major.includes(name))).toBe(true);
  });
});
