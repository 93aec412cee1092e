import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { CodecDecryptError, CodecKeyUnknownError } from '../../../../client/codec/codec-errors';
import type { CodecKeys } from '../../../../client/codec/codec-keys';
import { EncryptionCodec, isEncryptedPayload, payloadKeyId } from '../../../../client/codec/encryption-codec';

// What the codec guards: no payload it encodes shows its content, every one decodes back to the
// same payload, only with the key it names, and rotation keeps old payloads readable.

const question = 'My SSN is 123-45-6789 and card 4111 1111 1111 1111';
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const keys = (activeKeyId: string, entries: Record<string, Buffer>): CodecKeys =>
  ({ activeKeyId, keys: new Map(Object.entries(entries)) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec(keys('k1', { k1 }));

  it('round-trips payloads, hiding their data and their own metadata', async () => {
    const originals = [toPayload({ question }), toPayload(undefined), toPayload(new Uint8Array([1, 2, 3]))];
    const encoded = await codec.encode(originals);
    for (const payload of encoded) {
      expect(Object.keys(payload.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
      expect(text(payload.metadata?.encoding)).toBe('binary/encrypted');
      expect(text(payload.metadata?.['encryption-key-id'])).toBe('k1');
      expect(text(payload.data)).not.toContain('123-45-6789');
      expect(text(payload.data)).not.toContain('json/plain');
      // iv(12) | ciphertext | tag(16)
      expect(payload.data!.length).toBeGreaterThanOrEqual(28);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload)))
      .toEqual([{ question }, undefined, new Uint8Array([1, 2, 3])]);
    expect(text(decoded[0]!.metadata?.encoding)).toBe('json/plain');
  });

  it('encrypts the same payload differently each time (a fresh iv per payload)', async () => {
    const [first, second] = await codec.encode([toPayload(question), toPayload(question)]);
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
  });

  it.each([
    ['a flipped ciphertext byte', (data: Buffer) => { data[14] = data[14]! ^ 1; }],
    ['a flipped tag byte', (data: Buffer) => { data[data.length - 1] = data[data.length - 1]! ^ 1; }],
    ['a flipped iv byte', (data: Buffer) => { data[0] = data[0]! ^ 1; }],
  ])('refuses %s with a CodecDecryptError naming the key, not the data', async (_name, tamper) => {
    const [encoded] = await codec.encode([toPayload(question)]);
    const data = Buffer.from(encoded!.data!);
    tamper(data);
    const attempt = codec.decode([{ ...encoded, data }]);
    await expect(attempt).rejects.toBeInstanceOf(CodecDecryptError);
    await expect(attempt).rejects.toMatchObject({ name: 'CodecDecryptError', keyId: 'k1' });
    await expect(attempt).rejects.toThrow(/key "k1"/);
    await expect(attempt).rejects.not.toThrow(/123-45-6789/);
  });

  it('refuses a truncated payload and a payload that names no key', async () => {
    const [encoded] = await codec.encode([toPayload(question)]);
    await expect(codec.decode([{ ...encoded, data: encoded!.data!.subarray(0, 20) }]))
      .rejects.toBeInstanceOf(CodecDecryptError);
    await expect(codec.decode([{ metadata: { encoding: encoded!.metadata!.encoding! }, data: encoded!.data }]))
      .rejects.toBeInstanceOf(CodecDecryptError);
  });

  it('refuses a key id it does not hold with a CodecKeyUnknownError naming the id', async () => {
    const [encoded] = await new EncryptionCodec(keys('k9', { k9: randomBytes(32) })).encode([toPayload(question)]);
    const attempt = codec.decode([encoded!]);
    await expect(attempt).rejects.toBeInstanceOf(CodecKeyUnknownError);
    await expect(attempt).rejects.toMatchObject({ name: 'CodecKeyUnknownError', keyId: 'k9' });
    await expect(attempt).rejects.toThrow(/"k9"/);
  });

  it('decodes with a retired key after rotation, and encrypts new payloads with the active one', async () => {
    const [old] = await new EncryptionCodec(keys('k1', { k1 })).encode([toPayload(question)]);
    const rotated = new EncryptionCodec(keys('k2', { k2, k1 }));
    const [decoded] = await rotated.decode([old!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toBe(question);
    const [fresh] = await rotated.encode([toPayload(question)]);
    expect(payloadKeyId(fresh!)).toBe('k2');
    // A key with the same id but other bytes must not open it.
    await expect(new EncryptionCodec(keys('k1', { k1: k2 })).decode([old!])).rejects.toBeInstanceOf(CodecDecryptError);
  });

  it('passes payloads without binary/encrypted through decode untouched (old and recorded histories)', async () => {
    const plain = toPayload({ question });
    const [decoded] = await codec.decode([plain]);
    expect(decoded).toBe(plain);
    expect(isEncryptedPayload(plain)).toBe(false);
  });
});
