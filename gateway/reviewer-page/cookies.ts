// The reviewer page's cookies, read and written by hand (a few lines, where a cookie plugin
// would be one more dependency). Every cookie is scoped to /review, HttpOnly and SameSite=Strict:
// no script reads it and no other site's page can send it.

/** Cookie names. */
export const cookieNames = {
  /** The signed session (session.ts). */
  session: 'sluice_review_session',
  /** A random value the sign-in form's CSRF token is bound to, before any session exists. */
  signIn: 'sluice_review_sign_in',
  /** A signed one-time message shown on the next page (flash.ts). */
  flash: 'sluice_review_flash',
} as const;

const cookiePath = '/review';

/** The value of cookie `name` in a Cookie header; the first one when it is sent twice. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    return part.slice(separator + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  /** Seconds until the browser drops it; 0 deletes it now. Absent: until the browser closes. */
  maxAgeSeconds?: number;
  /** Set when the request came over https, so the browser never sends it over plain http. */
  secure: boolean;
}

/**
 * A Set-Cookie header value. Values are the page's own (hex, base64url, `.`), never user text,
 * so they need no encoding; anything else is refused rather than sent half-escaped.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!/^[A-Za-z0-9._-]*$/.test(value)) throw new Error(`cookie ${name}: value has characters a cookie cannot hold`);
  return [
    `${name}=${value}`, `Path=${cookiePath}`, 'HttpOnly', 'SameSite=Strict',
    ...(options.maxAgeSeconds !== undefined ? [`Max-Age=${options.maxAgeSeconds}`] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** A Set-Cookie header value that deletes the cookie. */
export function clearCookie(name: string, secure: boolean): string {
  return serializeCookie(name, '', { maxAgeSeconds: 0, secure });
}
