import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectPii } from '../../../../activities/gates/pii/detect-pii';
import type { PiiType } from '../../../../contracts/gates';
import { presidioTypes } from '../../../../bench/gates/presidio-types';

// Structured values from Faker's providers (scripts/generate-pii-formats.py): phone numbers and IBANs of
// 19 locales, cards, SSNs, IPv4 and IPv6 addresses, emails, each in a short sentence. A generator this
// project's rules were not written from, so a format the detectors stop reading fails here by name.
// The bench's Presidio mapping, less PERSON: this file holds structured values only.
const goldTypes = Object.fromEntries(Object.entries(presidioTypes).filter(([, type]) => type !== 'PERSON'));
interface Row { text: string; spans: { type: string; value: string; start: number; end: number }[] }
const rows = readFileSync(join(__dirname, 'data', 'pii-formats.jsonl'), 'utf8').trim().split('\n')
  .map((line) => JSON.parse(line) as Row);
const structured: PiiType[] = ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS'];

describe('structured PII in the formats of an independent generator', () => {
  it('holds 832 values of six types', () => {
    expect(rows).toHaveLength(832);
    expect(new Set(rows.map((row) => row.spans[0]!.type))).toEqual(new Set(Object.keys(goldTypes)));
  });

  it.each(Object.keys(goldTypes))('finds every %s with its exact bounds and nothing else', (goldType) => {
    const wrong = rows.filter((row) => row.spans[0]!.type === goldType).flatMap((row) => {
      const gold = row.spans[0]!;
      const found = detectPii(row.text, structured).map((span) => `${span.type} ${span.start}-${span.end}`);
      const expected = `${goldTypes[goldType]} ${gold.start}-${gold.end}`;
      return found.length === 1 && found[0] === expected ? [] : [`${row.text} -> [${found.join(', ')}]`];
    });
    expect(wrong).toEqual([]);
  });
});
