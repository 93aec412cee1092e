import { WorkflowFailedError } from '@temporalio/client';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import type { VectorStore } from '../../activities/retrieval/vector-store';
import { openTestDependencies, startTestStack, type TestStack } from '../helpers/temporal-env';

type Operation = 'upsert' | 'search';

/** What undici's fetch throws when nothing listens at the store's address. */
function connectionRefused(): Error {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6333'), {
    code: 'ECONNREFUSED', address: '127.0.0.1', port: 6333,
  });
  return new TypeError('fetch failed', { cause });
}

/** A real store whose next calls of one operation fail as an outage (or a 400) would. */
class OutageStore implements VectorStore {
  readonly name = 'outage';
  private readonly failures: Record<Operation, number> = { upsert: 0, search: 0 };
  readonly calls: Record<Operation, number> = { upsert: 0, search: 0 };
  rejectAsBadRequest = false;

  constructor(private readonly inner: VectorStore) {}

  failNext(operation: Operation, times: number): void {
    this.failures[operation] = times;
  }

  private check(operation: Operation): void {
    this.calls[operation] += 1;
    if (this.rejectAsBadRequest) {
      throw Object.assign(new Error('Bad Request'), {
        status: 400, url: 'http://127.0.0.1:6333/collections/x/points/query',
      });
    }
    if (this.failures[operation] > 0) {
      this.failures[operation] -= 1;
      throw connectionRefused();
    }
  }

  async upsert(...args: Parameters<VectorStore['upsert']>) { this.check('upsert'); return this.inner.upsert(...args); }
  async search(...args: Parameters<VectorStore['search']>) { this.check('search'); return this.inner.search(...args); }
  settleDocument(...args: Parameters<VectorStore['settleDocument']>) { return this.inner.settleDocument(...args); }
  deleteDocument(...args: Parameters<VectorStore['deleteDocument']>) { return this.inner.deleteDocument(...args); }
  listDocuments(...args: Parameters<VectorStore['listDocuments']>) { return this.inner.listDocuments(...args); }
  hasTenant(tenant: string) { return this.inner.hasTenant(tenant); }
  count(...args: Parameters<VectorStore['count']>) { return this.inner.count(...args); }
  async optimize(tenant?: string) { await this.inner.optimize?.(tenant); }
  close() { return this.inner.close(); }
}

// Five failures in a row exhausted the old presets (maximumAttempts 5) and failed the run; an
// outage must now be waited out. Backoff starts at 200 ms, so five failures cost ≈ 6 s.
const oldMaximumAttempts = 5;

describe('a vector-store outage is waited out, not failed', () => {
  jest.setTimeout(60_000);
  let stack: TestStack;
  let store: OutageStore;

  beforeAll(async () => {
    store = new OutageStore((await openTestDependencies()).store);
    stack = await startTestStack(() => ({ store }));
  });
  afterAll(() => stack?.stop());

  it('finishes an ingest whose store is down for more attempts than the old retry budget', async () => {
    store.failNext('upsert', oldMaximumAttempts);
    const result = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest-outage-1', {
      tenant: 'outage', ingestId: 'one',
      documents: [{ documentId: 'kb/1', text: '# Shipping\n\nOrders ship within two days of payment.' }],
    });
    expect(result.ingestedDocuments).toBe(1);
    expect(store.calls.upsert).toBe(oldMaximumAttempts + 1);
    expect(await store.count('outage', 'kb/1')).toBe(1);
  });

  it('answers once the store is back, and shows the caller no internal address meanwhile', async () => {
    store.failNext('search', oldMaximumAttempts);
    const handle = await stack.env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: 'answer-outage-ship',
      args: [{ tenant: 'outage', requestId: 'ship', question: 'When do orders ship?' }],
    });
    // While it waits, the pending activity's last failure is what the UI and `describe` show.
    let lastFailure: { message?: string | null; applicationFailureInfo?: { type?: string | null } | null } | undefined;
    for (let tries = 0; tries < 100 && !lastFailure; tries++) {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      lastFailure = pending.find((activity) => (activity.attempt ?? 0) >= 2)?.lastFailure ?? undefined;
      if (!lastFailure) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lastFailure?.applicationFailureInfo?.type).toBe('StoreUnavailable');
    expect(lastFailure?.message).not.toMatch(/127\.0\.0\.1|6333|ECONNREFUSED/);
    const result = await handle.result() as AnswerResult;
    expect(result.status).toBe('answered');
    expect(result.citations[0]?.documentId).toBe('kb/1');
    expect(store.calls.search).toBeGreaterThan(oldMaximumAttempts);
  });

  it('fails a request the store refuses at once, without retrying it or showing its address', async () => {
    store.rejectAsBadRequest = true;
    const before = store.calls.search;
    try {
      const attempt = stack.execute(workflowTypes.answer, 'answer-outage-refused', {
        tenant: 'outage', requestId: 'refused', question: 'When do orders ship?',
      });
      await expect(attempt).rejects.toBeInstanceOf(WorkflowFailedError);
      await expect(attempt).rejects.toMatchObject({ cause: { cause: { type: 'InvalidStoreRequest' } } });
      const error = (await attempt.catch((failure: unknown) => failure)) as WorkflowFailedError;
      expect(JSON.stringify({
        message: error.cause?.message, cause: (error.cause?.cause as Error | undefined)?.message,
      })).not.toMatch(/127\.0\.0\.1|6333/);
      expect(store.calls.search - before).toBe(1);
    } finally {
      store.rejectAsBadRequest = false;
    }
  });
});
