import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedactionSealer, RedactionSealError } from '../../../../activities/gates/pii/redaction-seal';

const map = { '[EMAIL_1]': 'jane@example.com', '[US_SSN_1]': '531-21-7351' };

describe('RedactionSealer', () => {
  const sealer = new RedactionSealer(randomBytes(32));

  it('round-trips a map and never shows the values in the sealed form', () => {
    const sealed = sealer.seal(map, 'acme');
    expect(JSON.stringify(sealed)).not.toMatch(/jane|example|531-21/);
    expect(sealer.open(sealed, 'acme')).toEqual(map);
  });

  it('refuses another tenant, another key and tampered data', () => {
    const sealed = sealer.seal(map, 'acme');
    expect(() => sealer.open(sealed, 'other')).toThrow(RedactionSealError);
    expect(() => new RedactionSealer(randomBytes(32)).open(sealed, 'acme')).toThrow(/another key/);
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => sealer.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'acme')).toThrow(RedactionSealError);
  });

  it('uses a fresh IV per seal', () => {
    expect(sealer.seal(map, 'acme').iv).not.toBe(sealer.seal(map, 'acme').iv);
  });

  it('reads the key from SLUICE_REDACTION_KEY (hex or base64), else creates a private key file once', () => {
    const key = randomBytes(32);
    const fromHex = RedactionSealer.fromEnvironment({ SLUICE_REDACTION_KEY: key.toString('hex') }, '/nonexistent');
    const fromBase64 = RedactionSealer.fromEnvironment({ SLUICE_REDACTION_KEY: key.toString('base64') }, '/nonexistent');
    expect(fromHex.open(fromBase64.seal(map, 't'), 't')).toEqual(map);
    expect(() => RedactionSealer.fromEnvironment({ SLUICE_REDACTION_KEY: 'short' }, '/nonexistent')).toThrow(/32 bytes/);

    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-key-'));
    const first = RedactionSealer.fromEnvironment({}, dataDir);
    const second = RedactionSealer.fromEnvironment({}, dataDir);
    expect(second.open(first.seal(map, 't'), 't')).toEqual(map);
    expect(statSync(join(dataDir, 'redaction.key')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(join(dataDir, 'redaction.key'), 'utf8'), 'base64')).toHaveLength(32);
  });
});
