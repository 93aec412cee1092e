// Errors of the payload codec. Messages name the key id and the setting to change, never a byte
// of the payload: they end up in worker logs, workflow task failures and HTTP answers.

/** Thrown by decode when a payload names a key id this process does not hold (dropped too early, or never given). */
export class CodecKeyUnknownError extends Error {
  override readonly name = 'CodecKeyUnknownError';
  constructor(readonly keyId: string) {
    super(
      `payload was encrypted with key "${keyId}", which this process does not hold: keep retired keys in `
      + 'SLUICE_CODEC_KEYS (after the active one) or in the key file for as long as histories use them',
    );
  }
}

/**
 * Thrown by decode when an encrypted payload fails authentication: tampered, truncated, or
 * encrypted with another key under the same id.
 */
export class CodecDecryptError extends Error {
  override readonly name = 'CodecDecryptError';
  constructor(readonly keyId: string, reason = 'it was tampered with, or another key has the same id') {
    super(`payload encrypted with key "${keyId}" could not be decrypted: ${reason}`);
  }
}

/**
 * Thrown at start-up when no codec key is configured and a per-host key file is not allowed:
 * a worker with a key of its own could not read what clients and the other workers encrypt.
 */
export class CodecKeysRequiredError extends Error {
  override readonly name = 'CodecKeysRequiredError';
}
