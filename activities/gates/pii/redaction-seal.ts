// Seals a redaction map with AES-256-GCM so it can travel through workflow history without
// exposing the values. The key lives only on workers: SLUICE_REDACTION_KEY (32 bytes, base64 or
// hex), else — on the one-machine dev stack only — a key file generated under the data directory
// on first use (mode 0600). Any worker may restore what another sealed, so all must share a key.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SealedRedactions } from '../../../contracts/gates';
import type { RedactionMap } from './redaction';

/** Thrown when a sealed map cannot be opened: wrong key, wrong tenant or tampered data. */
export class RedactionSealError extends Error {
  override readonly name = 'RedactionSealError';
}

/**
 * Thrown at start-up when SLUICE_REDACTION_KEY is unset and a per-host key file is not allowed:
 * a second worker would make its own key, and answers it restores would keep their placeholders.
 */
export class RedactionKeyRequiredError extends Error {
  override readonly name = 'RedactionKeyRequiredError';
}

/** Seals and opens redaction maps with one worker-held key. */
export class RedactionSealer {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RedactionSealError('redaction key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  /**
   * The key from SLUICE_REDACTION_KEY, else (when `allowKeyFile`, for one-machine setups only)
   * from or newly written to `<dataDir>/redaction.key`.
   */
  static fromEnvironment(
    environment: Record<string, string | undefined>,
    dataDir: string,
    options: { allowKeyFile: boolean } = { allowKeyFile: true },
  ): RedactionSealer {
    const configured = environment.SLUICE_REDACTION_KEY;
    if (configured) return new RedactionSealer(parseKey(configured));
    if (!options.allowKeyFile) {
      throw new RedactionKeyRequiredError(
        'SLUICE_REDACTION_KEY is not set: every orchestration worker must share one redaction key '
        + '(32 bytes as 64 hex digits or base64, '
        + 'e.g. `openssl rand -base64 32`), or answers restored on another host keep their placeholders; '
        + 'a key file under the data folder is only for the one-machine dev stack (npm start)',
      );
    }
    const path = join(dataDir, 'redaction.key');
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      // 'wx' fails if another worker wrote the file first; then its key is the one to read.
      try {
        writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return new RedactionSealer(parseKey(readFileSync(path, 'utf8').trim()));
  }

  /** Encrypts the map; `binding` (e.g. the tenant) must match when opening. */
  seal(map: RedactionMap, binding: string): SealedRedactions {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`sluice-redactions-v1:${binding}`));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(map), 'utf8'), cipher.final()]);
    return {
      version: 1,
      keyId: this.keyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  open(sealed: SealedRedactions, binding: string): RedactionMap {
    if (sealed.keyId !== this.keyId) throw new RedactionSealError('sealed redactions were made with another key');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(`sluice-redactions-v1:${binding}`));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(plain) as RedactionMap;
    } catch {
      throw new RedactionSealError('sealed redactions could not be opened (tampered, or sealed for another tenant)');
    }
  }
}

function parseKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new RedactionSealError('SLUICE_REDACTION_KEY must be 32 bytes, as 64 hex digits or base64');
  }
  return key;
}
