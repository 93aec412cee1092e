import { detectPii } from '../../../../activities/gates/pii/detect-pii';
import { PiiGate } from '../../../../activities/gates/pii/pii-gate';
import { redactSpans, restorePlaceholders } from '../../../../activities/gates/pii/redaction';
import type { PiiType } from '../../../../contracts/gates';

const allTypes: PiiType[] = ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS', 'SECRET', 'PERSON'];
const typesIn = (text: string) => detectPii(text, allTypes).map((span) => [span.type, span.value]);

describe('PII detection', () => {
  it('finds each structured type and validates it with its library', () => {
    expect(typesIn('write to anna.berg+news@example.co.uk today')).toEqual([['EMAIL', 'anna.berg+news@example.co.uk']]);
    expect(typesIn('call +1 212-555-0199 tomorrow')).toEqual([['PHONE', '+1 212-555-0199']]);
    expect(typesIn('card 4532 2766 4457 7020 expires')).toEqual([['CREDIT_CARD', '4532 2766 4457 7020']]);
    expect(typesIn('IBAN DE89 3704 0044 0532 0130 00 please')).toEqual([['IBAN', 'DE89 3704 0044 0532 0130 00']]);
    expect(typesIn('my SSN is 531-21-7351')).toEqual([['US_SSN', '531-21-7351']]);
    expect(typesIn('from 192.168.10.4 and 2001:db8::8a2e:370:7334')).toEqual([['IP_ADDRESS', '192.168.10.4'], ['IP_ADDRESS', '2001:db8::8a2e:370:7334']]);
    expect(typesIn('key sk-proj-abcdefghijklmnop1234567890 and AKIAIOSFODNN7EXAMPLE')).toEqual([['SECRET', 'sk-proj-abcdefghijklmnop1234567890'], ['SECRET', 'AKIAIOSFODNN7EXAMPLE']]);
  });

  it('rejects look-alikes that fail the checksum or allocation rules', () => {
    expect(typesIn('card 4532 2766 4457 7021')).toEqual([]); // Luhn fails
    expect(typesIn('IBAN DE89 3704 0044 0532 0130 01')).toEqual([]); // mod-97 fails
    expect(typesIn('ref 666-12-3456 and 000-12-3456')).toEqual([]); // never-issued SSN areas
    expect(typesIn('version 300.1.2.4')).toEqual([]);
    expect(typesIn('released on 2024-05-17 at noon')).toEqual([]);
  });

  it('finds person names with NLP, with and without capitals', () => {
    const names = detectPii('Please ask Maria Schneider whether john can join the call.', ['PERSON']).map((span) => span.value);
    expect(names).toEqual(expect.arrayContaining(['Maria Schneider', 'john']));
    expect(detectPii('The weather in the mountains was cold.', ['PERSON'])).toEqual([]);
  });

  it('never takes the first person for a name', () => {
    // "I'm" is capitalised like a name, and after a cue word it was taken for one: 57 spans in 3,285 benign and
    // moderation texts, so a prompt reached the model as "[PERSON_1] a teenager and [PERSON_2] thinking about it".
    for (const text of ["explain like I'm five", "I'm a teenager and I'm thinking about it", "like I'd name my baby"]) {
      expect(detectPii(text, ['PERSON'])).toEqual([]);
    }
    const named = detectPii("I'm told Maria Schneider will call.", ['PERSON']);
    expect(named.map((span) => span.value)).toEqual(['Maria Schneider']);
  });

  it('is not fooled by zero-width characters inside an email', () => {
    const gate = new PiiGate({ types: allTypes, action: 'redact', defaultRegion: 'US' });
    const decision = gate.check('mail jo\u200bhn.doe@exa\u200cmple.com now');
    expect(decision.action).toBe('redact');
    expect(decision.redactedText).toBe('mail [EMAIL_1] now');
    expect(decision.redactions).toEqual({ '[EMAIL_1]': 'john.doe@example.com' });
  });
});

describe('reversible redaction', () => {
  it('gives the same value the same placeholder and restores the answer', () => {
    const text = 'Mail a@b.io, then a@b.io again, and c@d.io.';
    const { text: redacted, map } = redactSpans(text, detectPii(text, ['EMAIL']));
    expect(redacted).toBe('Mail [EMAIL_1], then [EMAIL_1] again, and [EMAIL_2].');
    expect(restorePlaceholders('I wrote to [EMAIL_2] and [EMAIL_1]; [EMAIL_9] is unknown.', map)).toBe('I wrote to c@d.io and a@b.io; [EMAIL_9] is unknown.');
  });

  it('reports counts by type, never the values', () => {
    const gate = new PiiGate({ types: allTypes, action: 'block', defaultRegion: 'US' });
    const decision = gate.check('SSN 531-21-7351, card 4532276644577020');
    expect(decision.action).toBe('block');
    expect([...decision.reasons].sort()).toEqual(['found 1 CREDIT_CARD', 'found 1 US_SSN']);
    expect(JSON.stringify(decision)).not.toMatch(/531-21-7351|4532276644577020/);
  });
});
