import { PiiLeakGate } from '../../../../activities/gates/output/pii-leak-gate';
import { StreamWindow } from '../../../../activities/gates/output/stream-window';
import { detectPii } from '../../../../activities/gates/pii/detect-pii';
import { withoutPublicValues } from '../../../../activities/gates/pii/public-values';
import { redactPassages } from '../../../../activities/retrieval/redact-passages';
import { GateConfig, GateConfigError } from '../../../../contracts/gate-config';

const published = ['@acme.example', '+1 (800) 555-0100'];
const text = 'Write to Billing@Acme.example or call 1-800-555-0100; '
  + 'our customer jo@gmail.example called from 800 555 0199.';
const kept = (values: readonly string[]) =>
  withoutPublicValues(detectPii(text, ['EMAIL', 'PHONE']), values).map((span) => span.value);

describe("a tenant's published contacts (piiLeak.publicValues)", () => {
  it('match an address at a listed domain case-blind and a number by its digits, nothing else', () => {
    expect(kept([])).toEqual(['Billing@Acme.example', '1-800-555-0100', 'jo@gmail.example', '800 555 0199']);
    expect(kept(published)).toEqual(['jo@gmail.example', '800 555 0199']);
    // A listed address is that address only; the country code may be written or not.
    expect(kept(['billing@acme.example', '800.555.0100'])).toEqual(['jo@gmail.example', '800 555 0199']);
    expect(kept(['sales@acme.example'])).toContain('Billing@Acme.example');
    // A domain is matched whole: "@example" written as a suffix of another domain is not listed.
    expect(kept(['@cme.example'])).toContain('Billing@Acme.example');
  });

  it('are left by the pii-leak gate, the stream window and passage redaction alike', () => {
    const types = ['EMAIL', 'PHONE'] as const;
    const gate = new PiiLeakGate({ types, action: 'redact', defaultRegion: 'US', publicValues: published });
    expect(gate.check(text).redactedText).toBe('Write to Billing@Acme.example or call 1-800-555-0100; '
      + 'our customer [REDACTED EMAIL] called from [REDACTED PHONE].');
    const window = new StreamWindow({ publicValues: published });
    expect(window.flush(text)).toBe(gate.check(text).redactedText);
    const chunk = { id: 'a', tenant: 't', documentId: 'a', chunkIndex: 0, title: 'Help', source: 'a.md', text };
    const { passages, countsById } = redactPassages([{ ...chunk, score: 1 }], {
      types: [...types], defaultRegion: 'US', publicValues: published,
    });
    expect(passages[0]?.text).toBe(gate.check(text).redactedText);
    expect(countsById.get('a')).toEqual({ EMAIL: 1, PHONE: 1 });
  });

  it('refuse values that would match too much, naming the field', () => {
    const configWith = (publicValues: unknown) =>
      () => new GateConfig({ defaults: { output: { piiLeak: { publicValues } } } });
    expect(configWith(['@com'])).toThrow(/publicValues\.0: a domain needs a dot/);
    expect(configWith(['1234'])).toThrow(/publicValues\.0: must hold at least 5 letters or digits/);
    expect(configWith('@acme.example')).toThrow(GateConfigError);
    expect(new GateConfig({}).resolve('t', 'f').output.piiLeak.publicValues).toEqual([]);
  });
});
