import {
  ExecutionConflictError, InvalidRequestError, ReviewRefusedError, TemporalUnavailableError, UnknownRunError,
  WorkflowRunError,
} from '../../../client/errors';
import { errorResponseSchema } from '../../../contracts/gateway';
import { errorOf, startFixture, type GatewayFixture } from './gateway-fixture';

// Every refusal has the one error shape, names the field at fault, and reaches no workflow.

describe('gateway request errors', () => {
  let fixture: GatewayFixture;
  beforeEach(async () => { fixture = await startFixture({ bodyLimitBytes: 4 * 1024 }); });
  afterEach(() => fixture.app.close());

  const postRaw = (payload: string | Buffer, contentType = 'application/json') => fixture.app.inject({
    method: 'POST', url: '/v1/answers', payload,
    headers: { authorization: fixture.auth.caller, 'content-type': contentType },
  });

  it('refuses a schema failure with 400 naming the field, and no stack', async () => {
    const response = await postRaw(JSON.stringify({ question: '   ' }));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({
      code: 'invalid_request', field: 'question', message: 'question: must not be empty',
    });
    expect(response.body).not.toMatch(/at .*\.ts/);
    const nested = await fixture.app.inject({
      method: 'POST', url: '/v1/ingest', headers: { authorization: fixture.auth.caller },
      payload: { documents: [{ documentId: 'a.md', text: 'x', format: 'odt' }] },
    });
    expect(errorOf(nested).field).toBe('documents.0.format');
    const unknownField = await postRaw(JSON.stringify({ question: 'What?', qestion: 'typo' }));
    expect(errorOf(unknownField)).toEqual({
      code: 'invalid_request', field: 'qestion', message: 'qestion: not a known field',
    });
    expect(fixture.client.calls).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"question": "What', 'invalid_json', 'the body is not valid JSON'],
    ['an empty body', '', 'invalid_json', 'the body is empty'],
    ['a lone surrogate', '{"question": "Why \\ud800 now?"}', 'invalid_encoding',
      'question: must be valid Unicode (it holds a lone surrogate)'],
    ['a lone surrogate in a key', '{"\\udc00": "x", "question": "Why?"}', 'invalid_encoding',
      '\udc00: must be valid Unicode (it holds a lone surrogate)'],
    ['a prototype-poisoning key', '{"question": "Why?", "__proto__": {"admin": true}}', 'invalid_json',
      'the body is not valid JSON'],
  ])('refuses %s with 400', async (_case, payload, code, message) => {
    const response = await postRaw(payload);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({ code, message });
    expect(fixture.client.calls).toEqual([]);
  });

  it('refuses bytes that are not UTF-8 with 400 instead of decoding them to U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"question": "caf'), Buffer.from([0xe9]), Buffer.from('?"}')]);
    const response = await postRaw(body);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'invalid_encoding', message: 'the body is not valid UTF-8' });
    expect(fixture.client.calls).toEqual([]);
  });

  it('refuses a body over the limit with 413 and another content type with 415', async () => {
    const large = await postRaw(JSON.stringify({ question: 'x'.repeat(5 * 1024) }));
    expect(large.statusCode).toBe(413);
    expect(errorOf(large).code).toBe('body_too_large');
    const text = await postRaw('What is Sluice?', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(errorOf(text).code).toBe('unsupported_media_type');
    expect(fixture.client.calls).toEqual([]);
  });

  it('refuses a path that is not percent-encoded UTF-8 with 400 in the error shape, and reads long ids', async () => {
    const get = (url: string) =>
      fixture.app.inject({ method: 'GET', url, headers: { authorization: fixture.auth.caller } });
    const invalid = await get('/v1/answers/answer~acme~%ED%A0%80');
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid).code).toBe('invalid_request');
    // The longest id a request can make: `answer~` + 128-character tenant and request ids.
    const longest = `answer~acme~${'r'.repeat(128)}`;
    expect((await get(`/v1/answers/${longest}`)).statusCode).toBe(200);
    expect(fixture.client.calls).toEqual([{ method: 'answerStatus', args: [longest, 'acme'] }]);
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const response = await fixture.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(errorResponseSchema.parse(response.json()).error.code).toBe('not_found');
  });

  it('answers a route asked with the wrong method with 405 and the methods it takes', async () => {
    const answers = await fixture.app.inject({ method: 'GET', url: '/v1/answers?x=1' });
    expect(answers.statusCode).toBe(405);
    expect(answers.headers.allow).toBe('POST');
    expect(errorResponseSchema.parse(answers.json()).error).toEqual({
      code: 'method_not_allowed', message: 'GET is not served here; use POST',
    });
    const budget = await fixture.app.inject({ method: 'DELETE', url: '/v1/budget' });
    expect([budget.statusCode, budget.headers.allow]).toEqual([405, 'GET, HEAD, PUT']);
    const run = await fixture.app.inject({ method: 'POST', url: '/v1/answers/answer~acme~1' });
    expect([run.statusCode, run.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it.each([
    [new InvalidRequestError('question: must not be empty'), 400, 'invalid_request'],
    [new UnknownRunError('no run has the workflow id answer~acme~1'), 404, 'not_found'],
    [new ExecutionConflictError('answer~acme~1 is already used by another run'), 409, 'conflict'],
    [new ReviewRefusedError('answer~acme~1 has finished'), 409, 'conflict'],
    [new WorkflowRunError('question: must not be empty', 'answer~acme~1', 'InvalidInput'), 422, 'unprocessable'],
    [new WorkflowRunError('no answer run answer~acme~2 found', 'feedback~acme~1', 'UnknownRun'), 404, 'not_found'],
    [new WorkflowRunError('all providers failed', 'answer~acme~1', 'ProviderUnavailable'), 500, 'internal'],
    [new TemporalUnavailableError('cannot reach the Temporal server'), 503, 'unavailable'],
    [new Error('socket hang up'), 500, 'internal'],
  ])('maps a client %p to %i', async (error, status, code) => {
    fixture.client.handlers.submit = async () => { throw error; };
    const response = await postRaw(JSON.stringify({ question: 'What is Sluice?' }));
    expect(response.statusCode).toBe(status);
    const body = errorResponseSchema.parse(response.json());
    expect(body.error.code).toBe(code);
    if (status === 500) {
      // Nothing of the failure itself: only where to look.
      expect(body.error.message).toBe(
        `internal error; quote request id ${response.headers['x-request-id']} when reporting it`,
      );
    } else if (status === 503) {
      // The server's address is the operator's business, not the caller's.
      expect(body.error.message).toBe('the workflow service is unavailable; retry later');
    } else {
      expect(body.error.message).toBe(error.message);
    }
  });

  it('serves /healthz and /readyz without a key; /readyz is 503 while Temporal is unreachable', async () => {
    expect((await fixture.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await fixture.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    fixture.client.handlers.ping = async () => { throw new TemporalUnavailableError('no answer'); };
    const down = await fixture.app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(errorOf(down).code).toBe('unavailable');
  });
});
