import { readFileSync, writeFileSync } from 'node:fs';
import { ApiKeyFileError } from '../../../client/errors';
import { addApiKey, revokeApiKey } from '../../../client/gateway-keys';
import { authorize, AuthenticationError, tokenAuthorizer } from '../../../gateway/auth/authorize';
import { FileApiKeyStore } from '../../../gateway/auth/key-store';
import { ForbiddenError } from '../../../gateway/http/errors';
import { errorOf, startFixture, type GatewayFixture } from './gateway-fixture';

const ask = (fixture: GatewayFixture, authorization?: string) => fixture.app.inject({
  method: 'POST', url: '/v1/answers', payload: { question: 'How does Sluice survive a crash?' },
  headers: authorization === undefined ? {} : { authorization },
});

describe('gateway authentication', () => {
  let fixture: GatewayFixture;
  beforeEach(async () => { fixture = await startFixture(); });
  afterEach(() => fixture.app.close());

  it('refuses a request without a key with 401 and a Bearer challenge', async () => {
    const response = await ask(fixture);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="sluice"');
    expect(errorOf(response).code).toBe('unauthenticated');
    expect(fixture.client.calls).toEqual([]);
  });

  it.each([
    ['another scheme', (token: string) => token.replace('Bearer', 'Basic')],
    ['a token that is not sk_<id>_<secret>', () => 'Bearer not-a-key'],
    ['a secret one character short', (token: string) => token.slice(0, -1)],
    ['a wrong secret', (token: string) => `${token.slice(0, -4)}AAAA`],
    ['an unknown id', (token: string) => token.replace(/sk_[0-9a-f]{16}_/, 'sk_0123456789abcdef_')],
  ])('refuses %s with 401 invalid_token, saying only that the key is invalid', async (_case, mangle) => {
    const response = await ask(fixture, mangle(fixture.auth.caller));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(errorOf(response)).toEqual({ code: 'unauthenticated', message: 'invalid API key' });
    expect(fixture.client.calls).toEqual([]);
  });

  it('lets a valid key through', async () => {
    expect((await ask(fixture, fixture.auth.caller)).statusCode).toBe(200);
  });

  it('refuses a key without the route\'s role with 403', async () => {
    const asReviewer = await ask(fixture, fixture.auth.reviewer);
    expect(asReviewer.statusCode).toBe(403);
    expect(errorOf(asReviewer)).toEqual({ code: 'forbidden', message: 'this API key lacks the caller role' });
    const asCaller = await fixture.app.inject({
      method: 'GET', url: '/v1/reviews', headers: { authorization: fixture.auth.caller },
    });
    expect(asCaller.statusCode).toBe(403);
    expect(fixture.client.calls).toEqual([]);
  });

  it('takes keys made and revoked while it runs without a restart', async () => {
    const { token, record } = await addApiKey(fixture.keysFile, { tenant: 'acme', name: 'late', roles: ['caller'] });
    expect((await ask(fixture, `Bearer ${token}`)).statusCode).toBe(200);
    expect(await revokeApiKey(fixture.keysFile, record.id)).toBe(true);
    expect((await ask(fixture, `Bearer ${token}`)).statusCode).toBe(401);
  });

  it('refuses to start on a key file that fails validation, naming the field', async () => {
    writeFileSync(fixture.keysFile, JSON.stringify({ keys: [{ id: 'x', tenant: 'acme' }] }));
    await expect(FileApiKeyStore.open(fixture.keysFile)).rejects.toThrow(ApiKeyFileError);
    await expect(FileApiKeyStore.open(fixture.keysFile)).rejects.toThrow(/keys\.0\.id: must be 16 lowercase hex/);
    // A running gateway keeps the keys it had rather than lock everyone out over a broken edit.
    expect((await ask(fixture, fixture.auth.caller)).statusCode).toBe(200);
  });

  it('stores only a hash of the secret', async () => {
    const secret = fixture.auth.caller.split('_').slice(2).join('_');
    expect(readFileSync(fixture.keysFile, 'utf8')).not.toContain(secret);
  });

  it('exports authorize for other HTTP surfaces (the codec server asks for operator)', async () => {
    const store = await FileApiKeyStore.open(fixture.keysFile);
    await expect(authorize(store, fixture.auth.operator, 'operator'))
      .resolves.toMatchObject({ tenant: 'acme', name: 'ops' });
    await expect(authorize(store, fixture.auth.caller, 'operator')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorize(store, undefined, 'operator')).rejects.toBeInstanceOf(AuthenticationError);
    const codecAuthorize = tokenAuthorizer(store, 'operator');
    await expect(codecAuthorize(fixture.auth.operator.slice('Bearer '.length))).resolves.toBe(true);
    await expect(codecAuthorize(fixture.auth.caller.slice('Bearer '.length))).resolves.toBe(false);
    await expect(codecAuthorize('sk_nonsense')).resolves.toBe(false);
  });
});
