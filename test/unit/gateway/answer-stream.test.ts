import fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { ExecutionConflictError, WorkflowRunError } from '../../../client/errors';
import { gatewayLimitsSchema } from '../../../contracts/gateway';
import { answerStreamEventSchema, type AnswerStreamEvent } from '../../../contracts/stream';
import { FileApiKeyStore } from '../../../gateway/auth/key-store';
import { createGuard } from '../../../gateway/http/guard';
import { TenantLimiter } from '../../../gateway/limits/tenant-limiter';
import { registerAnswerStreamRoutes } from '../../../gateway/routes/answer-stream';
import { openEventStream, parseEvents } from '../../helpers/sse-client';
import { answered, errorOf, startFixture, type GatewayFixture } from './gateway-fixture';

// `POST /v1/answers/stream` over a fake client: server-sent events in the documented shape, the same
// refusals as `POST /v1/answers`, keep-alive comments, and a client that leaves stops the reading.

describe('gateway answer stream route', () => {
  let fixture: GatewayFixture;
  beforeEach(async () => { fixture = await startFixture(); });
  afterEach(() => fixture.app.close());

  const post = (payload: object, authorization = fixture.auth.caller) => fixture.app.inject({
    method: 'POST', url: '/v1/answers/stream', payload, headers: { authorization },
  });

  it('answers text/event-stream with one event per stream event, for the key\'s tenant', async () => {
    const response = await post({ question: 'What is Sluice?', requestId: 's1' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    const events = parseEvents(response.body);
    expect(events.map((event) => event.event)).toEqual(['started', 'delta', 'final']);
    for (const { event, data } of events) expect(answerStreamEventSchema.parse(data).type).toBe(event);
    expect(events[2]!.data).toMatchObject({ type: 'final', result: answered, replaced: false });
    expect(fixture.client.calls[0]).toMatchObject({
      method: 'askStream', args: [{ tenant: 'acme', question: 'What is Sluice?', requestId: 's1' }, expect.any(Object)],
    });
  });

  it('refuses what POST /v1/answers refuses, before any run starts', async () => {
    expect((await post({ question: 'q' }, 'Bearer nope')).statusCode).toBe(401);
    expect(errorOf(await post({ question: 'q', tenant: 'globex' })).code).toBe('tenant_in_body');
    // `wait` means nothing to a stream: refused, not ignored.
    expect(errorOf(await post({ question: 'q', wait: false }))).toMatchObject({
      code: 'invalid_request', message: expect.stringMatching(/wait/),
    });
    expect(fixture.client.workflowCalls).toEqual([]);
  });

  it('answers a conflicting id with 409 JSON, and a run that fails later with an error event', async () => {
    fixture.client.handlers.askStream = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new ExecutionConflictError('id in use')) }),
    });
    const conflict = await post({ question: 'q' });
    expect(conflict.statusCode).toBe(409);
    expect(errorOf(conflict).code).toBe('conflict');

    fixture.client.handlers.askStream = async function* failing() {
      yield { type: 'started', workflowId: 'answer~acme~r1', runId: 'run-1' } satisfies AnswerStreamEvent;
      throw new WorkflowRunError('policy refused the question', 'answer~acme~r1', 'PolicyViolation');
    };
    const failed = await post({ question: 'q' });
    expect(failed.statusCode).toBe(200);
    expect(parseEvents(failed.body)).toEqual([
      expect.objectContaining({ event: 'started' }),
      { event: 'error', data: { error: { code: 'unprocessable', message: 'policy refused the question' } } },
    ]);
  });
});

describe('gateway answer stream over a real connection', () => {
  let fixture: GatewayFixture;
  let app: ReturnType<typeof fastify>;
  let url: string;
  beforeEach(async () => {
    fixture = await startFixture();
    const limits = gatewayLimitsSchema.parse({});
    const limiter = new TenantLimiter(limits);
    const keys = await FileApiKeyStore.open(fixture.keysFile, pino({ level: 'silent' }));
    app = fastify();
    registerAnswerStreamRoutes(app, { client: fixture.client, limits, limiter, guard: createGuard(keys, limiter) }, {
      keepAliveMs: 30,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/answers/stream`;
  });
  afterEach(async () => {
    await app.close();
    await fixture.app.close();
  });

  it('sends keep-alive comments while the run is quiet, and stops reading when the client leaves', async () => {
    let stopped: (() => void) | undefined;
    const readingStopped = new Promise<void>((resolve) => { stopped = resolve; });
    let signal: AbortSignal | undefined;
    fixture.client.handlers.askStream = (_input, options) => {
      signal = options?.signal;
      return (async function* quiet() {
        try {
          yield { type: 'started', workflowId: 'answer~acme~r1', runId: 'run-1' } satisfies AnswerStreamEvent;
          // A run that takes long: nothing more until the reader is told to stop.
          await new Promise((resolve) => options?.signal?.addEventListener('abort', resolve));
        } finally {
          stopped?.();
        }
      })();
    };
    const connection = await openEventStream(url, { question: 'q' }, { authorization: fixture.auth.caller });
    expect(connection.status).toBe(200);
    const received = await connection.readUntil((text) => text.includes(':keepalive'));
    expect(parseEvents(received)[0]).toMatchObject({ event: 'started' });
    expect(signal?.aborted).toBe(false);
    connection.disconnect();
    await Promise.race([readingStopped, new Promise((_resolve, reject) => {
      setTimeout(() => reject(new Error('the reading went on after the client left')), 5_000).unref();
    })]);
    expect(signal?.aborted).toBe(true);
  });
});
