import { answerRunResponseSchema, answerStartedSchema, ingestRunResponseSchema } from '../../../contracts/gateway';
import { answered, pendingView, startFixture, type GatewayFixture } from './gateway-fixture';

// The answer and ingest routes over a fake client: which status each outcome gets, and which body.

describe('gateway answer and ingest routes', () => {
  let fixture: GatewayFixture;
  beforeEach(async () => { fixture = await startFixture(); });
  afterEach(() => fixture.app.close());

  const request = (method: 'GET' | 'POST', url: string, payload?: object) => fixture.app.inject({
    method, url, ...(payload ? { payload } : {}), headers: { authorization: fixture.auth.caller },
  });

  it('waits for the answer by default: 200 with the result', async () => {
    const response = await request('POST', '/v1/answers', { question: 'What is Sluice?', requestId: 'r7', topK: 2 });
    expect(response.statusCode).toBe(200);
    expect(answerRunResponseSchema.parse(response.json())).toEqual({
      workflowId: 'answer~acme~r7', runId: 'run-1', status: 'completed', result: answered,
    });
    expect(fixture.client.calls[0]?.args[0]).toEqual({
      tenant: 'acme', question: 'What is Sluice?', requestId: 'r7', topK: 2, feature: 'qa', contextTokenBudget: 2_000,
    });
  });

  it('answers 202 pending_review when the run waits for a reviewer', async () => {
    fixture.client.handlers.submit = async () => ({
      workflowId: 'answer~acme~r1', runId: 'run-1', uiUrl: 'http://ui', pendingReview: pendingView,
    });
    const response = await request('POST', '/v1/answers', { question: 'What is Sluice?' });
    expect(response.statusCode).toBe(202);
    // The draft is the reviewer's to see, not the caller's.
    expect(response.json()).toEqual({ workflowId: 'answer~acme~r1', runId: 'run-1', status: 'pending_review' });
  });

  it('starts without waiting when wait is false: 202 with where to poll', async () => {
    const response = await request('POST', '/v1/answers', { question: 'What is Sluice?', wait: false });
    expect(response.statusCode).toBe(202);
    expect(answerStartedSchema.strict().parse(response.json()))
      .toEqual({ workflowId: 'answer~acme~r1', runId: 'run-1' });
    expect(fixture.client.calls.map((call) => call.method)).toEqual(['startAnswer']);
  });

  it('polls an answer run: 202 while it runs or waits for review, 200 with the result', async () => {
    for (const state of ['running', 'pending_review'] as const) {
      fixture.client.handlers.answerStatus = async () => ({ state });
      const response = await request('GET', '/v1/answers/answer~acme~r1');
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ workflowId: 'answer~acme~r1', status: state });
    }
    fixture.client.handlers.answerStatus = async () => ({ state: 'completed', result: answered });
    const done = await request('GET', '/v1/answers/answer~acme~r1');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ workflowId: 'answer~acme~r1', status: 'completed', result: answered });
  });

  it('starts an ingest of inline documents (202) and reports its progress, then its result', async () => {
    const documents = [{ documentId: 'faq.md', text: '# FAQ\nSluice runs on Temporal.' }];
    const started = await request('POST', '/v1/ingest', { documents, ingestId: 'faq' });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual({ workflowId: 'ingest~acme~faq' });
    expect(fixture.client.calls[0]?.args[0]).toEqual({ tenant: 'acme', documents, ingestId: 'faq' });
    const running = await request('GET', '/v1/ingest/ingest~acme~faq');
    expect(running.statusCode).toBe(202);
    expect(ingestRunResponseSchema.parse(running.json()).progress).toEqual({
      totalDocuments: 2, processedDocuments: 1, chunks: 3,
    });
    const result = { documents: [], ingestedDocuments: 1, skippedDocuments: 0, chunks: 1 };
    fixture.client.handlers.ingestStatus = async () => ({ state: 'completed', result });
    const done = await request('GET', '/v1/ingest/ingest~acme~faq');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ workflowId: 'ingest~acme~faq', status: 'completed', result });
  });
});
