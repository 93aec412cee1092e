import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerCacheStore } from '../../activities/cache/answer-cache-store';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { workflowTypes } from '../../contracts/workflow-types';
import { startTestStack, type TestStack } from '../helpers/temporal-env';
import { reviewCatalog } from './review-fixtures';

// The answer cache on the real server: an exact repeat and a paraphrase are served without a model
// call (the output gates still run), a question that differs in meaning is generated afresh, a changed
// document invalidates what was built on it, and one tenant's entries are never served to another.

const refundPolicy = (days: number) => [
  '# Refund policy',
  '',
  `Customers may request a refund within ${days} days of delivery. Refunds are paid to the original`,
  'payment method within five business days after the returned item arrives at our warehouse.',
].join('\n');
const shipping = [
  '# Shipping',
  '',
  'Orders over 50 dollars ship free within the country. Express shipping costs 12 dollars and arrives',
  'in two business days. International orders ship in ten to fourteen business days.',
].join('\n');

describe('answerWorkflow with an answer cache', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sluice-answer-cache-'));
  let stack: TestStack;
  let cache: AnswerCacheStore;
  let asked = 0;

  const ask = async (tenant: string, question: string, route?: string) => {
    const requestId = `q${(asked += 1)}`;
    const workflowId = `answer-${tenant}-${requestId}`;
    const result = await stack.execute<AnswerResult>(workflowTypes.answer, workflowId, {
      tenant, requestId, question, ...(route ? { route } : {}),
    });
    const description = await stack.env.client.workflow.getHandle(workflowId).describe();
    return { result, cacheHit: description.searchAttributes[sluiceSearchAttributes.cacheHit.name]?.[0] };
  };
  const ingest = (tenant: string, id: string, documents: { documentId: string; text: string }[]) =>
    stack.execute<IngestResult>(workflowTypes.ingest, `ingest-${tenant}-${id}`, { tenant, ingestId: id, documents });

  beforeAll(async () => {
    cache = await AnswerCacheStore.open(cacheDir);
    const catalog = reviewCatalog({
      routes: {
        default: { chain: ['extractive'], refine: { enabled: false }, cache: { ttl: '1h' } },
        uncached: { chain: ['extractive'], refine: { enabled: false } },
      },
    });
    stack = await startTestStack(() => ({ modelCatalog: catalog, answerCache: cache }));
    for (const tenant of ['shop', 'rival']) {
      const ingested = await ingest(tenant, 'v1', [
        { documentId: 'policies/refunds', text: refundPolicy(30) }, { documentId: 'policies/shipping', text: shipping },
      ]);
      expect(ingested.ingestedDocuments).toBe(2);
    }
  });

  afterAll(async () => {
    await stack?.stop();
    await cache?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('serves an exact repeat from the cache, still through the output gates', async () => {
    const first = await ask('shop', 'How many days do customers have to request a refund?');
    expect(first.result.status).toBe('answered');
    expect(first.result.answer).toContain('30 days');
    expect(first.result.cache).toBeUndefined();
    expect(first.result.generation?.attempts.length).toBeGreaterThan(0);
    expect(first.cacheHit).toBe('miss');

    const repeat = await ask('shop', '  how many days do customers have to REQUEST a refund ');
    expect(repeat.result.status).toBe('answered');
    expect(repeat.result.cache).toMatchObject({ hit: 'exact', score: 1 });
    expect(repeat.result.generation).toBeUndefined();
    expect(repeat.result.answer).toBe(first.result.answer);
    expect(repeat.result.citations.map((c) => c.documentId)).toEqual(first.result.citations.map((c) => c.documentId));
    expect(repeat.cacheHit).toBe('exact');
    // The output gates ran on the cached answer.
    const gates = repeat.result.gateDecisions.map((decision) => decision.gate);
    expect(gates).toEqual(expect.arrayContaining(['groundedness']));
  });

  it('serves a paraphrase (semantic hit) and generates a question that differs in meaning', async () => {
    const paraphrase = await ask('shop', 'Within how many days can customers ask for a refund?');
    expect(paraphrase.result.cache).toMatchObject({ hit: 'semantic' });
    expect(paraphrase.result.answer).toContain('30 days');
    expect(paraphrase.cacheHit).toBe('semantic');

    await ask('shop', 'Do orders over 50 dollars ship free?');
    const differentAmount = await ask('shop', 'Do orders over 20 dollars ship free?');
    expect(differentAmount.result.cache).toBeUndefined();
    expect(differentAmount.result.generation).toBeDefined();
    expect(differentAmount.cacheHit).toBe('miss');
  });

  it('never serves one tenant the answers cached for another', async () => {
    const rival = await ask('rival', 'How many days do customers have to request a refund?');
    expect(rival.result.cache).toBeUndefined();
    expect(rival.result.generation).toBeDefined();
  });

  it('stops serving an answer once the document it was built on changes', async () => {
    const question = 'How many days do customers have to request a refund?';
    expect((await ask('shop', question)).result.cache).toMatchObject({ hit: 'exact' });
    await ingest('shop', 'v2', [{ documentId: 'policies/refunds', text: refundPolicy(45) }]);
    const after = await ask('shop', question);
    expect(after.result.cache).toBeUndefined();
    expect(after.result.answer).toContain('45 days');
    const paraphrase = await ask('shop', 'Within how many days can customers ask for a refund?');
    expect(paraphrase.result.answer).toContain('45 days');
  });

  it('leaves a route without a cache policy alone', async () => {
    const once = await ask('shop', 'How much does express shipping cost?', 'uncached');
    const twice = await ask('shop', 'How much does express shipping cost?', 'uncached');
    expect(twice.result.cache).toBeUndefined();
    expect(twice.result.generation).toBeDefined();
    expect(once.cacheHit).toBeUndefined();
  });
});
