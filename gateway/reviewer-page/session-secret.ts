import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../contracts/config';

// The key that signs reviewer sessions, CSRF tokens and flash messages. Set
// SLUICE_GATEWAY_SESSION_SECRET (32 bytes or more) to keep sessions across restarts and to share
// them between gateway replicas; unset, each process makes a random one and every session ends
// when the process does.

/** The variable holding the secret. */
export const sessionSecretVariable = 'SLUICE_GATEWAY_SESSION_SECRET';

/** Shortest secret accepted, in bytes of UTF-8 (an HMAC-SHA256 key should carry 256 bits). */
export const minimumSessionSecretBytes = 32;

let processSecret: Buffer | undefined;

/** The configured secret, or this process's random one; a ConfigError when it is set but too short. */
export function loadSessionSecret(environment: Record<string, string | undefined> = process.env): {
  secret: Buffer;
  /** False for the per-process random secret: sessions end on restart. */
  configured: boolean;
} {
  const value = environment[sessionSecretVariable];
  if (value) {
    const secret = Buffer.from(value, 'utf8');
    if (secret.length < minimumSessionSecretBytes) {
      throw new ConfigError(
        `${sessionSecretVariable} must be at least ${minimumSessionSecretBytes} bytes ` +
        `(it has ${secret.length}); make one with \`openssl rand -base64 48\``,
      );
    }
    return { secret, configured: true };
  }
  processSecret ??= randomBytes(32);
  return { secret: processSecret, configured: false };
}
