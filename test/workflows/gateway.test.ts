import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { addApiKey } from '../../client/gateway-keys';
import { SluiceClient } from '../../client/sluice-client';
import {
  answerRunResponseSchema, budgetResponseSchema, deleteDocumentsResponseSchema, ingestRunResponseSchema,
} from '../../contracts/gateway';
import type { IngestResult } from '../../contracts/ingest';
import { workflowTypes } from '../../contracts/workflow-types';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway';
import { plainClientOptions, startTestStack, type TestStack } from '../helpers/temporal-env';

// The HTTP gateway over a real SluiceClient, the real dev server and the real answer workflow.

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';

describe('HTTP gateway on the real Temporal dev server', () => {
  let stack: TestStack;
  let client: SluiceClient;
  let gateway: RunningGateway;
  let authorization: string;
  let operatorAuthorization: string;

  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: object, as = authorization) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method, headers: { authorization: as, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: await response.json() as unknown };
  };

  /** GETs `path` until it answers 200, at most 60 times. */
  const pollUntilDone = async (path: string) => {
    for (let attempt = 0; attempt < 60; attempt++) {
      const response = await call('GET', path);
      if (response.status !== 202) return response;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${path} still running`);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest~acme~corpus', {
      tenant: 'acme', ingestId: 'corpus', path: corpus,
    });
    expect(ingested.ingestedDocuments).toBe(5);
    client = await SluiceClient.connect({ temporalAddress: stack.env.address }, plainClientOptions);
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-gateway-'));
    const { token } = await addApiKey(join(dataDir, 'gateway-keys.json'), {
      tenant: 'acme', name: 'acme-app', roles: ['caller'],
    });
    authorization = `Bearer ${token}`;
    const operator = await addApiKey(join(dataDir, 'gateway-keys.json'), {
      tenant: 'acme', name: 'acme-ops', roles: ['operator'],
    });
    operatorAuthorization = `Bearer ${operator.token}`;
    gateway = await startGateway({
      client, dataDir, host: '127.0.0.1', port: 0, environment: {},
      logger: pino({ level: process.env.GATEWAY_TEST_LOG ?? 'silent' }),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await client?.close();
    await stack?.stop();
  });

  it('answers a question and waits for the result: 200 with the answer', async () => {
    const response = await call('POST', '/v1/answers', { question, requestId: 'http-wait' });
    expect(response.status).toBe(200);
    const body = answerRunResponseSchema.parse(response.body);
    expect(body).toMatchObject({ workflowId: 'answer~acme~http-wait', status: 'completed' });
    expect(body.result?.status).toBe('answered');
    expect(body.result?.citations[0]?.source).toBe('durability.md');
  });

  it('starts without waiting (202), then answers the poll with the result', async () => {
    const started = await call('POST', '/v1/answers', { question, requestId: 'http-poll', wait: false });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ workflowId: 'answer~acme~http-poll', runId: expect.any(String) });
    const done = await pollUntilDone('/v1/answers/answer~acme~http-poll');
    expect(done.status).toBe(200);
    expect(answerRunResponseSchema.parse(done.body).result?.status).toBe('answered');
    // Another tenant's id, and an id no run has, read the same.
    expect((await call('GET', '/v1/answers/answer~globex~http-poll')).status).toBe(404);
    expect((await call('GET', '/v1/answers/answer~acme~never-started')).status).toBe(404);
  });

  it('hides a run under the tenant\'s id whose recorded owner is another tenant (a squatted id)', async () => {
    await stack.env.client.workflow.start(workflowTypes.answer, {
      taskQueue: 'sluice-test-nobody-polls', workflowId: 'answer~acme~squatted', memo: { sluiceTenant: 'intruder' },
      args: [{ tenant: 'intruder', requestId: 'squatted', question }],
    });
    const response = await call('GET', '/v1/answers/answer~acme~squatted');
    expect(response).toEqual({
      status: 404, body: { error: { code: 'not_found', message: 'no run has the workflow id answer~acme~squatted' } },
    });
  });

  it('ingests documents sent inline and reports the result', async () => {
    const started = await call('POST', '/v1/ingest', {
      ingestId: 'http-doc', documents: [{ documentId: 'gateway.md', text: '# Gateway\nThe gateway speaks HTTP.' }],
    });
    expect(started).toEqual({ status: 202, body: { workflowId: 'ingest~acme~http-doc' } });
    const done = await pollUntilDone('/v1/ingest/ingest~acme~http-doc');
    expect(done.status).toBe(200);
    expect(ingestRunResponseSchema.parse(done.body).result).toMatchObject({ ingestedDocuments: 1 });
  });

  it('deletes an ingested document over HTTP, once for a repeated request id', async () => {
    await call('POST', '/v1/ingest', {
      ingestId: 'http-erase',
      documents: [{ documentId: 'erase-me.md', text: '# Erase\nA customer asked to be forgotten.' }],
    });
    expect((await pollUntilDone('/v1/ingest/ingest~acme~http-erase')).status).toBe(200);
    const deleted = await call('POST', '/v1/documents/delete', { documentIds: ['erase-me.md'], requestId: 'erase-1' });
    expect(deleted.status).toBe(200);
    const result = deleteDocumentsResponseSchema.parse(deleted.body);
    expect(result.documents).toEqual([{ documentId: 'erase-me.md', deletedChunks: result.deletedChunks }]);
    expect(result.deletedChunks).toBeGreaterThan(0);
    // The same request id is the same run: its first result, not a second deletion's zero.
    expect((await call('POST', '/v1/documents/delete', { documentIds: ['erase-me.md'], requestId: 'erase-1' })).body)
      .toEqual(deleted.body);
    const again = await call('POST', '/v1/documents/delete', { documentIds: ['erase-me.md'], requestId: 'erase-2' });
    expect(deleteDocumentsResponseSchema.parse(again.body).deletedChunks).toBe(0);
  });

  it('sets the tenant\'s budget with an operator key and shows it to a caller', async () => {
    const limits = { tenant: { period: 'day', maxTokens: 123_456 } };
    expect((await call('PUT', '/v1/budget', { limits })).status).toBe(403);
    const set = await call('PUT', '/v1/budget', { limits }, operatorAuthorization);
    expect(set.status).toBe(200);
    expect(budgetResponseSchema.parse(set.body).limits.tenant).toEqual({ period: 'day', maxTokens: 123_456 });
    const shown = await call('GET', '/v1/budget');
    expect(shown.status).toBe(200);
    expect(budgetResponseSchema.parse(shown.body)).toMatchObject({
      tenant: 'acme', limits: { tenant: { period: 'day', maxTokens: 123_456 } },
    });
  });

  it('is ready while Temporal answers', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(200);
  });
});
