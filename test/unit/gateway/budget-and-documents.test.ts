import { budgetResponseSchema, deleteDocumentsResponseSchema } from '../../../contracts/gateway';
import { errorOf, startFixture, type FixtureKey, type GatewayFixture } from './gateway-fixture';

// `GET`/`PUT /v1/budget` and `POST /v1/documents/delete`: the key's tenant only, the role each
// needs, and bad input refused with the field named before any workflow is touched.

describe('gateway budget and document deletion', () => {
  let fixture: GatewayFixture;
  beforeEach(async () => { fixture = await startFixture(); });
  afterEach(() => fixture.app.close());

  const send = (method: 'GET' | 'PUT' | 'POST', url: string, key: FixtureKey, payload?: object) =>
    fixture.app.inject({ method, url, headers: { authorization: fixture.auth[key] }, ...(payload ? { payload } : {}) });

  it('shows the key\'s tenant\'s budget to a caller', async () => {
    const response = await send('GET', '/v1/budget', 'caller');
    expect(response.statusCode).toBe(200);
    expect(budgetResponseSchema.parse(response.json()).tenant).toBe('acme');
    const other = await send('GET', '/v1/budget', 'otherTenant');
    expect(budgetResponseSchema.parse(other.json()).tenant).toBe('globex');
    expect(fixture.client.calls.map((call) => call.args)).toEqual([['acme'], ['globex']]);
  });

  it('sets limits only with an operator key, for the key\'s tenant, passing the mode on', async () => {
    const limits = {
      tenant: { period: 'day', maxTokens: 50_000 }, features: { qa: { period: 'hour', maxMicroUsd: 10 } },
    };
    for (const key of ['caller', 'reviewer'] as const) {
      const refused = await send('PUT', '/v1/budget', key, { limits });
      expect(refused.statusCode).toBe(403);
      expect(errorOf(refused).code).toBe('forbidden');
    }
    expect(fixture.client.calls).toEqual([]);
    const merged = await send('PUT', '/v1/budget', 'operator', { limits });
    expect(merged.statusCode).toBe(200);
    expect(budgetResponseSchema.parse(merged.json()).limits.tenant).toEqual({ period: 'day', maxTokens: 50_000 });
    await send('PUT', '/v1/budget', 'operator', { limits, mode: 'replace' });
    expect(fixture.client.calls.map((call) => [call.method, call.args[0], call.args[2]])).toEqual([
      ['setBudget', 'acme', 'merge'], ['setBudget', 'acme', 'replace'],
    ]);
  });

  it('refuses a budget that does not parse, naming the field, and one that names a tenant', async () => {
    const negative = await send('PUT', '/v1/budget', 'operator', {
      limits: { tenant: { period: 'day', maxTokens: -5 } },
    });
    expect(negative.statusCode).toBe(400);
    expect(errorOf(negative)).toMatchObject({ code: 'invalid_request', field: 'limits.tenant.maxTokens' });
    expect(errorOf(negative).message).toContain('must not be negative');
    const period = await send('PUT', '/v1/budget', 'operator', { limits: { tenant: { period: 'week' } } });
    expect(errorOf(period).field).toBe('limits.tenant.period');
    const unknown = await send('PUT', '/v1/budget', 'operator', { limits: {}, overdraft: true });
    expect(unknown.statusCode).toBe(400);
    const tenant = await send('PUT', '/v1/budget', 'operator', { limits: {}, tenant: 'globex' });
    expect(errorOf(tenant)).toMatchObject({ code: 'tenant_in_body', field: 'tenant' });
    expect(fixture.client.calls).toEqual([]);
  });

  it('deletes documents of the key\'s tenant and returns what went', async () => {
    const response = await send('POST', '/v1/documents/delete', 'caller', {
      documentIds: ['handbook.md', 'faq.jsonl'], requestId: 'erase-42',
    });
    expect(response.statusCode).toBe(200);
    expect(deleteDocumentsResponseSchema.parse(response.json()).deletedChunks).toBe(4);
    await send('POST', '/v1/documents/delete', 'otherTenant', { documentIds: ['handbook.md'] });
    expect(fixture.client.calls.map((call) => call.args[0])).toEqual([
      { tenant: 'acme', documentIds: ['handbook.md', 'faq.jsonl'], requestId: 'erase-42' },
      { tenant: 'globex', documentIds: ['handbook.md'], requestId: undefined },
    ]);
  });

  it('refuses a deletion naming no document, a bad id, a tenant, or made with a reviewer key', async () => {
    const empty = await send('POST', '/v1/documents/delete', 'caller', { documentIds: [] });
    expect(errorOf(empty)).toMatchObject({ code: 'invalid_request', field: 'documentIds' });
    expect(errorOf(empty).message).toContain('name at least one document');
    const control = await send('POST', '/v1/documents/delete', 'caller', { documentIds: ['a\u0000b.md'] });
    expect(errorOf(control)).toMatchObject({ code: 'invalid_request', field: 'documentIds.0' });
    const tenant = await send('POST', '/v1/documents/delete', 'caller', { documentIds: ['a.md'], tenant: 'globex' });
    expect(errorOf(tenant).code).toBe('tenant_in_body');
    const reviewer = await send('POST', '/v1/documents/delete', 'reviewer', { documentIds: ['a.md'] });
    expect(reviewer.statusCode).toBe(403);
    expect(fixture.client.calls).toEqual([]);
  });
});
