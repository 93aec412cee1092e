// AES-256-GCM payload codec: what clients send and workers record (workflow inputs, activity
// arguments and results, signals, updates, queries, memos) reaches Temporal's history encrypted.
// Each encoded payload is the whole original Payload proto, so its own metadata (json/plain …)
// is hidden too; the outer metadata says only that it is encrypted and with which key.
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CodecDecryptError, CodecKeyUnknownError } from './codec-errors';
import type { CodecKeys } from './codec-keys';

/** Metadata of an encrypted payload. */
export const encryptedEncoding = 'binary/encrypted';
export const encodingMetadataKey = 'encoding';
export const keyIdMetadataKey = 'encryption-key-id';

const cipherName = 'aes-256-gcm';
const ivBytes = 12;
const tagBytes = 16;

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

/** Whether a payload carries `encoding: binary/encrypted` (anything else passes decode untouched). */
export function isEncryptedPayload(payload: Payload): boolean {
  return text(payload.metadata?.[encodingMetadataKey]) === encryptedEncoding;
}

/** The key id an encrypted payload names, if any. */
export function payloadKeyId(payload: Payload): string | undefined {
  return text(payload.metadata?.[keyIdMetadataKey]);
}

/**
 * Encrypts with the active key; decrypts with the key the payload names, so payloads written
 * before a rotation still decode while any retired key is kept. Plaintext payloads (histories
 * from before the codec, recorded replay histories) decode unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly activeKey: Buffer;

  constructor(private readonly keys: CodecKeys) {
    const active = keys.keys.get(keys.activeKeyId);
    if (!active || active.length !== 32) throw new RangeError('the active codec key must be 32 bytes');
    this.activeKey = active;
  }

  /** The id new payloads are encrypted under. */
  get activeKeyId(): string {
    return this.keys.activeKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncryptedPayload(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv(cipherName, this.activeKey, iv);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: {
        [encodingMetadataKey]: utf8(encryptedEncoding),
        [keyIdMetadataKey]: utf8(this.keys.activeKeyId),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = payloadKeyId(payload);
    if (keyId === undefined) throw new CodecDecryptError('', 'it names no encryption-key-id');
    const key = this.keys.keys.get(keyId);
    if (!key) throw new CodecKeyUnknownError(keyId);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < ivBytes + tagBytes) throw new CodecDecryptError(keyId, 'it is too short');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv(cipherName, key, data.subarray(0, ivBytes));
      decipher.setAuthTag(data.subarray(data.length - tagBytes));
      plain = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
    } catch {
      throw new CodecDecryptError(keyId);
    }
    try {
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new CodecDecryptError(keyId, 'its content is not a payload');
    }
  }
}
