import { startFixture, type GatewayFixture } from './gateway-fixture';

// What the gateway logs: request ids and tenants, never the credential or the question text.

const question = 'Is my diagnosis of acute pancreatitis covered by the plan?';

describe('gateway logs', () => {
  let fixture: GatewayFixture;
  beforeEach(async () => { fixture = await startFixture(); });
  afterEach(() => fixture.app.close());

  it('log request headers with the Authorization header censored', async () => {
    const response = await fixture.app.inject({
      method: 'POST', url: '/v1/answers', payload: { question },
      headers: { authorization: fixture.auth.caller, 'user-agent': 'billing-service/1.2' },
    });
    expect(response.statusCode).toBe(200);
    const secret = fixture.auth.caller.slice('Bearer '.length);
    expect(fixture.logText()).not.toContain(secret);
    const incoming = fixture.logLines().find((line) => line.msg === 'incoming request') as {
      req: { headers: Record<string, string> };
    };
    expect(incoming.req.headers['user-agent']).toBe('billing-service/1.2');
    expect(incoming.req.headers.authorization).toBe('[redacted]');
    // Refused keys are not logged either.
    await fixture.app.inject({
      method: 'GET', url: '/v1/reviews', headers: { authorization: `${fixture.auth.caller.slice(0, -2)}zz` },
    });
    expect(fixture.logText()).not.toContain(secret.slice(0, -2));
  });

  it('name the request id and tenant on the completion line', async () => {
    const response = await fixture.app.inject({
      method: 'POST', url: '/v1/answers', payload: { question }, headers: { authorization: fixture.auth.caller },
    });
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fixture.logLines()).toContainEqual(expect.objectContaining({
      msg: 'request completed', reqId: requestId, tenant: 'acme', keyId: fixture.keyIds.caller,
    }));
  });

  it('log an unexpected failure with its request id and stack but without the question', async () => {
    fixture.client.handlers.submit = async () => {
      throw new Error(`provider rejected the prompt "${question}"`);
    };
    const response = await fixture.app.inject({
      method: 'POST', url: '/v1/answers', payload: { question }, headers: { authorization: fixture.auth.caller },
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(question);
    const failure = fixture.logLines().find((line) => line.msg === 'request failed') as {
      reqId: string; tenant: string; failure: { type: string; stack: string };
    };
    expect(failure).toMatchObject({
      reqId: response.headers['x-request-id'], tenant: 'acme', failure: { type: 'Error' },
    });
    expect(failure.failure.stack).toContain('provider rejected the prompt "[redacted]"');
    expect(fixture.logText()).not.toContain(question);
  });
});
