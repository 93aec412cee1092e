import { revokeApiKey } from '../../../client/gateway-keys';
import { csrfOf, PageBrowser } from './reviewer-page-fixture';
import { startFixture, type GatewayFixture } from './gateway-fixture';

// Signing in to the reviewer page with a reviewer key, the session cookie it gets, and every way
// a session ends: expiry, tampering, revoking the key, signing out. Also the headers every page
// carries and what the logs must never hold.

const secretOf = (authorization: string): string => authorization.replace(/^Bearer sk_[0-9a-f]{16}_/, '');

describe('reviewer page sign-in', () => {
  let fixture: GatewayFixture;
  let browser: PageBrowser;
  beforeEach(async () => {
    fixture = await startFixture();
    browser = new PageBrowser(fixture.app);
  });
  afterEach(() => fixture.app.close());

  it('shows a labelled sign-in form with a CSRF token, under a strict CSP', async () => {
    const form = await browser.get('/review');
    expect(form.status).toBe(200);
    expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(form.body).toMatch(/<label for="key">Access key<\/label>\s*<input id="key" name="key" type="password"/);
    expect(csrfOf(form.body, '/review/sign-in')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(form.headers['content-security-policy'])
      .toBe('default-src \'none\'; style-src \'self\'; form-action \'self\'; frame-ancestors \'none\'');
    expect(form.headers['x-content-type-options']).toBe('nosniff');
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).not.toMatch(/<script|style=/);
    const stylesheet = await browser.get('/review/assets/review.css');
    expect(stylesheet.status).toBe(200);
    expect(stylesheet.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(stylesheet.headers['x-content-type-options']).toBe('nosniff');
  });

  it('signs a reviewer in with an HttpOnly, SameSite=Strict session cookie and opens the inbox', async () => {
    const signedIn = await browser.signIn(fixture.auth.reviewer);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/review/inbox');
    const session = signedIn.setCookies.find((header) => header.startsWith('sluice_review_session='));
    expect(session).toMatch(/^sluice_review_session=[0-9a-f]{16}\.\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; /);
    expect(session).toMatch(/; Path=\/review; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    // The cookie holds the key id, never the key's secret.
    expect(session).not.toContain(secretOf(fixture.auth.reviewer));
    const inbox = await browser.get('/review/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.body).toContain('Signed in as <strong>rita</strong> (acme)');
    // Signed in, the sign-in address goes straight to the inbox.
    expect((await browser.get('/review')).headers.location).toBe('/review/inbox');
  });

  it('returns to the page that asked for a sign-in, and only to a reviewer page', async () => {
    const asked = await browser.get('/review/runs/answer~acme~r1');
    expect(asked.status).toBe(401);
    expect(asked.body).toContain('<input type="hidden" name="next" value="/review/runs/answer~acme~r1">');
    const key = fixture.auth.reviewer.replace(/^Bearer /, '');
    const csrf = csrfOf(asked.body, '/review/sign-in');
    const back = await browser.post('/review/sign-in', { csrf, key, next: '/review/runs/answer~acme~r1' });
    expect(back.headers.location).toBe('/review/runs/answer~acme~r1');
    for (const next of ['//evil.example/review/inbox', 'https://evil.example', '/review/../v1/answers', '/review/x']) {
      const elsewhere = new PageBrowser(fixture.app);
      const form = csrfOf((await elsewhere.get('/review')).body, '/review/sign-in');
      const response = await elsewhere.post('/review/sign-in', { csrf: form, key, next });
      expect(response.headers.location).toBe('/review/inbox');
    }
  });

  it('shows the form again with a plain message for a wrong key, 401, and no session', async () => {
    const wrong = await browser.signIn(`${fixture.auth.reviewer.slice(0, -4)}AAAA`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('That access key is not valid.');
    expect(wrong.body).toContain('<label for="key">Access key</label>');
    expect(browser.cookies.has('sluice_review_session')).toBe(false);
    expect((await browser.signIn('')).status).toBe(401);
    expect((await browser.get('/review/inbox')).status).toBe(401);
  });

  it('refuses a key without the reviewer role', async () => {
    const caller = await browser.signIn(fixture.auth.caller);
    expect(caller.status).toBe(403);
    expect(caller.body).toContain('That access key is not a reviewer key.');
    expect(browser.cookies.has('sluice_review_session')).toBe(false);
  });

  it('refuses a sign-in without the form\'s CSRF token, or with another browser\'s', async () => {
    const key = fixture.auth.reviewer.replace(/^Bearer /, '');
    await browser.get('/review');
    expect((await browser.post('/review/sign-in', { key })).status).toBe(403);
    const elsewhere = new PageBrowser(fixture.app);
    const csrf = csrfOf((await elsewhere.get('/review')).body, '/review/sign-in');
    const forged = await browser.post('/review/sign-in', { key, csrf });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('The sign-in form expired.');
    expect(browser.cookies.has('sluice_review_session')).toBe(false);
  });

  it('ends the session after eight hours', async () => {
    await browser.signIn(fixture.auth.reviewer);
    fixture.advance(8 * 3_600_000 - 1_000);
    expect((await browser.get('/review/inbox')).status).toBe(200);
    fixture.advance(1_000);
    const ended = await browser.get('/review/inbox');
    expect(ended.status).toBe(401);
    expect(ended.body).toContain('Your session has ended. Sign in again.');
    expect(browser.cookies.has('sluice_review_session')).toBe(false);
  });

  it('refuses a tampered session cookie', async () => {
    await browser.signIn(fixture.auth.reviewer);
    const token = browser.cookies.get('sluice_review_session')!;
    // Another key's id under this key's signature.
    browser.cookies.set('sluice_review_session', token.replace(/^[0-9a-f]{16}/, fixture.keyIds.otherTenant));
    expect((await browser.get('/review/inbox')).status).toBe(401);
    expect(fixture.client.calls).toEqual([]);
  });

  it('ends every session of a key when the key is revoked', async () => {
    await browser.signIn(fixture.auth.reviewer);
    expect((await browser.get('/review/inbox')).status).toBe(200);
    await revokeApiKey(fixture.keysFile, fixture.keyIds.reviewer);
    const revoked = await browser.get('/review/inbox');
    expect(revoked.status).toBe(401);
    expect(revoked.body).toContain('Your session has ended.');
  });

  it('signs out with the form\'s CSRF token only', async () => {
    await browser.signIn(fixture.auth.reviewer);
    const inbox = await browser.get('/review/inbox');
    expect((await browser.post('/review/sign-out', {})).status).toBe(403);
    expect((await browser.post('/review/sign-out', { csrf: 'x'.repeat(43) })).status).toBe(403);
    const out = await browser.post('/review/sign-out', { csrf: csrfOf(inbox.body, '/review/sign-out') });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/review');
    expect(browser.cookies.has('sluice_review_session')).toBe(false);
    expect((await browser.get('/review')).body).toContain('You have signed out.');
    expect((await browser.get('/review/inbox')).status).toBe(401);
  });

  it('logs sign-ins without the key or the session', async () => {
    await browser.signIn(fixture.auth.reviewer);
    await new PageBrowser(fixture.app).signIn(`${fixture.auth.reviewer.slice(0, -4)}AAAA`);
    await browser.get('/review/inbox');
    const logged = fixture.logText();
    expect(logged).toContain('reviewer signed in');
    expect(logged).toContain('reviewer sign-in refused: invalid key');
    expect(logged).not.toContain(secretOf(fixture.auth.reviewer));
    expect(logged).not.toContain(browser.cookies.get('sluice_review_session'));
  });
});
