import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../../contracts/config';
import { clearCookie, readCookie, serializeCookie } from '../../../gateway/reviewer-page/cookies';
import { openFlash, sealFlash } from '../../../gateway/reviewer-page/flash';
import { parseFormBody } from '../../../gateway/reviewer-page/form-body';
import {
  checkCsrfToken, csrfToken, issueSessionToken, readSessionToken, sessionLifetimeMs,
} from '../../../gateway/reviewer-page/session';
import { loadSessionSecret } from '../../../gateway/reviewer-page/session-secret';
import { Signer } from '../../../gateway/reviewer-page/signer';

// The reviewer page's stateless session: a signed key id and expiry. A token must stop working
// when it expires, when any part of it changes, and under any other secret; CSRF tokens and
// flash messages must verify only where they were made.

const keyId = '0123456789abcdef';
const now = Date.parse('2026-03-01T08:00:00Z');
const signer = new Signer(randomBytes(32));

describe('reviewer sessions', () => {
  it('reads back the key id of a token it issued, until eight hours have passed', () => {
    const token = issueSessionToken(signer, keyId, now);
    expect(readSessionToken(signer, token, now)).toEqual({ keyId, expiresAt: now + sessionLifetimeMs });
    expect(sessionLifetimeMs).toBe(8 * 3_600_000);
    expect(readSessionToken(signer, token, now + sessionLifetimeMs - 1_000)?.keyId).toBe(keyId);
    expect(readSessionToken(signer, token, now + sessionLifetimeMs)).toBeUndefined();
  });

  it('refuses a token with any part changed, or signed with another secret', () => {
    const token = issueSessionToken(signer, keyId, now);
    const [id, expiry, random, signature] = token.split('.') as [string, string, string, string];
    const flip = (text: string) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [
      `fedcba9876543210.${expiry}.${random}.${signature}`, // another key
      `${id}.${Number(expiry) + 3600}.${random}.${signature}`, // a later expiry
      `${id}.${expiry}.${flip(random)}.${signature}`,
      `${id}.${expiry}.${random}.${flip(signature)}`,
      `${id}.${expiry}.${signature}`, `${token}.extra`, '', 'garbage',
    ]) {
      expect(readSessionToken(signer, forged, now)).toBeUndefined();
    }
    expect(readSessionToken(new Signer(randomBytes(32)), token, now)).toBeUndefined();
    expect(readSessionToken(signer, undefined, now)).toBeUndefined();
  });

  it('binds CSRF tokens to the session and the form', () => {
    const session = issueSessionToken(signer, keyId, now);
    const other = issueSessionToken(signer, 'fedcba9876543210', now);
    const token = csrfToken(signer, session, 'decision:answer~acme~1');
    expect(checkCsrfToken(signer, session, 'decision:answer~acme~1', token)).toBe(true);
    expect(checkCsrfToken(signer, session, 'decision:answer~acme~2', token)).toBe(false);
    expect(checkCsrfToken(signer, other, 'decision:answer~acme~1', token)).toBe(false);
    expect(checkCsrfToken(signer, session, 'decision:answer~acme~1', undefined)).toBe(false);
    expect(checkCsrfToken(signer, session, 'decision:answer~acme~1', '')).toBe(false);
    // A session signature is not a CSRF token, nor the reverse: each purpose is signed in.
    expect(checkCsrfToken(signer, session, 'sign-out', session.split('.')[3])).toBe(false);
    // Two sign-ins of the same key at the same moment are two sessions.
    const again = issueSessionToken(signer, keyId, now);
    expect(again).not.toBe(session);
    expect(checkCsrfToken(signer, again, 'decision:answer~acme~1', token)).toBe(false);
  });

  it('opens only the flash messages it sealed', () => {
    const sealed = sealFlash(signer, 'approved answer~acme~1 <b>');
    expect(openFlash(signer, sealed)).toBe('approved answer~acme~1 <b>');
    const forged = `${Buffer.from('approved everything').toString('base64url')}.${sealed.split('.')[1]}`;
    expect(openFlash(signer, forged)).toBeUndefined();
    expect(openFlash(new Signer(randomBytes(32)), sealed)).toBeUndefined();
    expect(openFlash(signer, undefined)).toBeUndefined();
  });
});

describe('the session secret', () => {
  it('takes SLUICE_GATEWAY_SESSION_SECRET of 32 bytes or more, and refuses a shorter one', () => {
    const value = 'x'.repeat(32);
    expect(loadSessionSecret({ SLUICE_GATEWAY_SESSION_SECRET: value })).toEqual({
      secret: Buffer.from(value), configured: true,
    });
    expect(() => loadSessionSecret({ SLUICE_GATEWAY_SESSION_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => loadSessionSecret({ SLUICE_GATEWAY_SESSION_SECRET: 'short' }))
      .toThrow(/SLUICE_GATEWAY_SESSION_SECRET must be at least 32 bytes \(it has 5\)/);
  });

  it('makes one random secret per process when none is set', () => {
    const first = loadSessionSecret({});
    expect(first.configured).toBe(false);
    expect(first.secret).toHaveLength(32);
    expect(loadSessionSecret({}).secret.equals(first.secret)).toBe(true);
  });
});

describe('reviewer page cookies and forms', () => {
  it('writes HttpOnly, SameSite=Strict cookies scoped to /review, Secure only over https', () => {
    expect(serializeCookie('s', 'abc.def', { maxAgeSeconds: 60, secure: false }))
      .toBe('s=abc.def; Path=/review; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(serializeCookie('s', 'abc', { secure: true }))
      .toBe('s=abc; Path=/review; HttpOnly; SameSite=Strict; Secure');
    expect(clearCookie('s', false)).toBe('s=; Path=/review; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(() => serializeCookie('s', 'a; Domain=evil', { secure: false })).toThrow();
    expect(readCookie('a=1; s=two; s=three', 's')).toBe('two');
    expect(readCookie(undefined, 's')).toBeUndefined();
  });

  it('parses urlencoded forms strictly: UTF-8 only, no field twice', () => {
    const form = parseFormBody('decision=edit&text=caf%C3%A9+%26+more&note=');
    expect(form.get('text')).toBe('café & more');
    expect(form.get('note')).toBe('');
    expect(form.text('note')).toBeUndefined();
    expect(() => parseFormBody('text=%FF')).toThrow(/not UTF-8/);
    expect(() => parseFormBody('text=%ED%A0%80')).toThrow(/not UTF-8/);
    expect(() => parseFormBody('decision=approve&decision=reject')).toThrow(/decision twice/);
  });
});
