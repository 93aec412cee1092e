import { errorOf, pendingView, startFixture, type GatewayFixture } from './gateway-fixture';

// The tenant is the key's, never the request's: bodies cannot name one, and another tenant's
// workflow ids read exactly as ids that do not exist.

describe('gateway tenancy', () => {
  let fixture: GatewayFixture;
  beforeEach(async () => { fixture = await startFixture(); });
  afterEach(() => fixture.app.close());

  const post = (url: string, payload: object, key: 'caller' | 'reviewer' | 'supportReviewer' = 'caller') =>
    fixture.app.inject({ method: 'POST', url, payload, headers: { authorization: fixture.auth[key] } });
  const get = (url: string, key: 'caller' | 'reviewer' | 'supportReviewer' | 'otherTenant' = 'caller') =>
    fixture.app.inject({ method: 'GET', url, headers: { authorization: fixture.auth[key] } });

  it('refuses a body that names a tenant, saying the tenant comes from the key', async () => {
    for (const [url, payload] of [
      ['/v1/answers', { question: 'What is Sluice?', tenant: 'globex' }],
      ['/v1/ingest', { documents: [{ documentId: 'a.md', text: 'x' }], tenant: 'globex' }],
      ['/v1/feedback', { workflowId: 'answer~acme~1', rating: 'up', tenant: 'globex' }],
    ] as const) {
      const response = await post(url, payload);
      expect(response.statusCode).toBe(400);
      expect(errorOf(response)).toEqual({
        code: 'tenant_in_body', field: 'tenant',
        message: 'tenant comes from the API key, not the body: remove "tenant"',
      });
    }
    expect(fixture.client.calls).toEqual([]);
  });

  it('runs every pipeline for the key\'s tenant', async () => {
    await post('/v1/answers', { question: 'What is Sluice?' });
    await post('/v1/answers', { question: 'What is Sluice?', wait: false });
    await post('/v1/ingest', { documents: [{ documentId: 'a.md', text: 'x' }] });
    await post('/v1/feedback', { workflowId: 'answer~acme~1', rating: 'up' });
    const tenants = fixture.client.calls.map((call) => (call.args[0] as { tenant: string }).tenant);
    expect(fixture.client.calls.map((call) => call.method)).toEqual([
      'submit', 'startAnswer', 'startIngest', 'recordFeedback',
    ]);
    expect(tenants).toEqual(['acme', 'acme', 'acme', 'acme']);
  });

  it('answers another tenant\'s workflow id exactly as a missing one, without looking it up', async () => {
    for (const [url, kind] of [
      ['/v1/answers/answer~globex~1', 'answer'], ['/v1/ingest/ingest~globex~1', 'ingest'],
    ] as const) {
      const foreign = await get(url);
      expect(foreign.statusCode).toBe(404);
      const workflowId = url.split('/').pop();
      expect(errorOf(foreign)).toEqual({ code: 'not_found', message: `no run has the workflow id ${workflowId}` });
      // A run of the right tenant but the wrong kind is not found either.
      expect((await get(`/v1/${kind === 'answer' ? 'answers' : 'ingest'}/feedback~acme~1`)).statusCode).toBe(404);
    }
    const review = await get('/v1/reviews/answer~globex~1', 'reviewer');
    expect(review.statusCode).toBe(404);
    const feedback = await post('/v1/feedback', { workflowId: 'answer~globex~1', rating: 'down' });
    expect(feedback.statusCode).toBe(404);
    expect(fixture.client.calls).toEqual([]);
    // The same tenant's id is looked up, for the key's tenant.
    expect((await get('/v1/answers/answer~acme~1')).statusCode).toBe(200);
    expect(fixture.client.calls).toEqual([{ method: 'answerStatus', args: ['answer~acme~1', 'acme'] }]);
  });

  it('hides a run whose id names the tenant but whose record belongs to another (a squatted id)', async () => {
    fixture.client.handlers.showReview = async () => ({ ...pendingView, tenant: 'globex' });
    const response = await get('/v1/reviews/answer~acme~squatted', 'reviewer');
    expect(response.statusCode).toBe(404);
  });

  it('lists only the key\'s tenant\'s reviews, in its reviewer groups', async () => {
    const all = await get('/v1/reviews', 'reviewer');
    expect(all.statusCode).toBe(200);
    expect(fixture.client.calls[0]).toEqual({ method: 'listReviews', args: [{ tenant: 'acme', limit: 50 }] });
    expect(all.json()).toEqual({
      reviews: [
        { workflowId: 'answer~acme~r1', runId: 'run-1', group: 'support', startedAt: '2026-01-01T00:00:00.000Z' },
      ],
    });
    // A key limited to `support` lists support only, and may not ask for another group.
    await get('/v1/reviews', 'supportReviewer');
    expect(fixture.client.calls[1]?.args[0]).toEqual({ tenant: 'acme', limit: 50, group: 'support' });
    const other = await get('/v1/reviews?group=legal', 'supportReviewer');
    expect(other.statusCode).toBe(403);
    expect(fixture.client.calls).toHaveLength(2);
  });

  it('records a decision under the key\'s name and refuses a reviewer named in the body', async () => {
    const decided = await post('/v1/reviews/answer~acme~r1/decision', { decision: 'approve' }, 'reviewer');
    expect(decided.statusCode).toBe(200);
    expect(fixture.client.calls.at(-1)).toEqual({
      method: 'decideReview', args: ['answer~acme~r1', { decision: 'approve', reviewer: 'rita' }],
    });
    const calls = fixture.client.calls.length;
    const impersonating = await post(
      '/v1/reviews/answer~acme~r1/decision', { decision: 'approve', reviewer: 'boss' }, 'reviewer',
    );
    expect(impersonating.statusCode).toBe(400);
    expect(errorOf(impersonating).field).toBe('reviewer');
    expect(fixture.client.calls).toHaveLength(calls);
  });

  it('refuses a decision on a run of a group outside the key\'s groups with 403', async () => {
    fixture.client.handlers.showReview = async () => ({ ...pendingView, group: 'legal' });
    const response = await post('/v1/reviews/answer~acme~r1/decision', { decision: 'approve' }, 'supportReviewer');
    expect(response.statusCode).toBe(403);
    expect(fixture.client.calls.map((call) => call.method)).toEqual(['showReview']);
  });
});
