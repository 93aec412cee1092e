import { randomBytes } from 'node:crypto';
import { apiKeyIdSchema } from '../../contracts/gateway-keys';
import type { Signer } from './signer';

// A reviewer's session is stateless: the cookie holds the key id, an expiry and a random value
// (so two sign-ins never share a token, nor CSRF tokens), signed. Nothing
// is stored server-side, so any replica with the same secret accepts it; each request still
// looks the key up, so revoking the key ends its sessions at once. Signing out clears the
// cookie; a copy of the cookie taken before stays valid until it expires or the key is revoked.

/** How long a session lasts from sign-in (absolute, not renewed by use). */
export const sessionLifetimeMs = 8 * 3_600_000;

/** What a valid session token says. */
export interface Session {
  keyId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** `<key id>.<expiry, seconds>.<random>.<signature>` */
const tokenPattern = /^(([0-9a-f]{16})\.([0-9]{1,15})\.[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** A new token for the key, valid for `sessionLifetimeMs` from `now`. */
export function issueSessionToken(signer: Signer, keyId: string, now: number): string {
  apiKeyIdSchema.parse(keyId);
  const expiresAt = Math.floor((now + sessionLifetimeMs) / 1000);
  const message = `${keyId}.${expiresAt}.${randomBytes(16).toString('base64url')}`;
  return `${message}.${signer.sign('session', message)}`;
}

/** The session a token stands for; undefined when it is malformed, forged, altered or expired. */
export function readSessionToken(signer: Signer, token: string | undefined, now: number): Session | undefined {
  const match = token === undefined ? null : tokenPattern.exec(token);
  if (!match) return undefined;
  const [, message, keyId, expiresAtSeconds, signature] = match as unknown as [string, string, string, string, string];
  if (!signer.verify('session', message, signature)) return undefined;
  const expiresAt = Number(expiresAtSeconds) * 1000;
  return now < expiresAt ? { keyId, expiresAt } : undefined;
}

/**
 * The CSRF token of one form: bound to what identifies the browser (the session token, or the
 * sign-in nonce before there is one) and to the form (`decision:<workflowId>`, `sign-out`), so a
 * token taken from one form or one session is refused by every other.
 */
export function csrfToken(signer: Signer, binding: string, formId: string): string {
  return signer.sign('csrf', `${binding}\n${formId}`);
}

/** True when `presented` is the form's CSRF token for `binding`. */
export function checkCsrfToken(
  signer: Signer, binding: string, formId: string, presented: string | undefined,
): boolean {
  return presented !== undefined && signer.verify('csrf', `${binding}\n${formId}`, presented);
}
