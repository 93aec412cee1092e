import * as lancedb from '@lancedb/lancedb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCacheActivities } from '../../../../activities/cache/activities';
import { AnswerCacheStore } from '../../../../activities/cache/answer-cache-store';
import { contextKey, exactKey, normaliseQuestion, renumberMarkers } from '../../../../activities/cache/cache-keys';
import { defaultParaphraseThreshold } from '../../../../activities/cache/paraphrase-match';
import type { Embedder } from '../../../../activities/retrieval/embedder';
import { tenantTableName } from '../../../../activities/retrieval/lancedb-tables';
import type { ScoredChunk } from '../../../../contracts/retrieval';

// The cache activities against a real embedded store: what is served, to whom, and what a broken
// cache does (a miss, never a failed answer).

/** Every text gets the same unit vector, so any two questions are as alike as can be. */
const sameVector: Embedder = { id: 'same', dimensions: 4, embed: async (texts) => texts.map(() => [1, 0, 0, 0]) };

const passage = (id: string, documentId: string, text: string): ScoredChunk => ({
  id, tenant: 'shop', documentId, chunkIndex: 0, title: documentId, source: documentId, text, score: 1,
});
const refunds = passage('c-refunds', 'refunds', 'Customers may request a refund within 30 days.');
const shipping = passage('c-shipping', 'shipping', 'Orders over 50 dollars ship free.');
const scope = { promptId: 'answer', promptVersion: '3', variant: 'default', route: 'default', catalogVersion: 'c1' };
const policy = { exact: true, semantic: true, ttlMs: 3_600_000 };

describe('answer cache activities', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-cache-unit-'));
  let store: AnswerCacheStore;
  let activities: ReturnType<typeof createCacheActivities>;
  const question = 'How many days do customers have to request a refund?';

  beforeAll(async () => {
    store = await AnswerCacheStore.open(dataDir);
    activities = createCacheActivities({ answerCache: store, embedder: sameVector });
    await activities.storeCachedAnswer({
      tenant: 'shop', question, scope, passages: [shipping, refunds], text: 'Within 30 days [2].',
      citations: [], model: 'extractive', workflowId: 'answer~shop~q1', paidTokens: 120, policy,
    });
  });

  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the exact question with its markers renumbered to the passages of this run', async () => {
    const { hit } = await activities.lookupCachedAnswer({
      tenant: 'shop', question: 'how many days do customers have to request a refund', scope,
      passages: [refunds, shipping], policy,
    });
    expect(hit).toMatchObject({ kind: 'exact', text: 'Within 30 days [1].', savedTokens: 120 });
    expect(hit?.citations.map((citation) => citation.documentId)).toEqual(['refunds']);
  });

  it('serves a paraphrase at the default threshold, and misses it under a minScore above its score', async () => {
    const paraphrase = 'Within how many days can customers ask for a refund?';
    const { hit } = await activities.lookupCachedAnswer({
      tenant: 'shop', question: paraphrase, scope, passages: [refunds, shipping], policy,
    });
    expect(hit).toMatchObject({ kind: 'semantic', text: 'Within 30 days [1].', cachedQuestion: question });
    expect(hit?.score).toBeGreaterThanOrEqual(defaultParaphraseThreshold);
    expect(hit?.score).toBeLessThan(1);
    const strict = await activities.lookupCachedAnswer({
      tenant: 'shop', question: paraphrase, scope, passages: [refunds, shipping],
      policy: { ...policy, minScore: Math.min(1, hit!.score + 0.01) },
    });
    expect(strict.hit).toBeUndefined();
    expect(strict.misses.join(' ')).toMatch(/scored 0\.\d{3}/);
  });

  it('misses in another scope (a new prompt version) and for another tenant', async () => {
    const other = await activities.lookupCachedAnswer({
      tenant: 'shop', question, scope: { ...scope, promptVersion: '4' }, passages: [refunds, shipping], policy,
    });
    expect(other.hit).toBeUndefined();
    const rival = await activities.lookupCachedAnswer({
      tenant: 'rival', question, scope, passages: [refunds, shipping], policy,
    });
    expect(rival.hit).toBeUndefined();
  });

  it('never serves an entry that names another tenant, even under this tenant\'s key', async () => {
    // Written straight into the shop's table, as a faulty writer or a copied table would leave it.
    const connection = await lancedb.connect(join(dataDir, 'cache'));
    const table = await connection.openTable(tenantTableName('answer_cache', 'shop'));
    await table.add([{
      id: exactKey('shop', scope, 'Is the warehouse open on Sundays?', contextKey([refunds])), tenant: 'acme',
      scope: 'answer|3|default|default|c1', question: 'Is the warehouse open on Sundays?',
      normalised_question: normaliseQuestion('Is the warehouse open on Sundays?'), context_key: contextKey([refunds]),
      markers: JSON.stringify({ 1: 'c-refunds' }), text: 'Planted [1].', model: 'extractive',
      source_workflow_id: 'answer~acme~x', stored_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 3_600_000).toISOString(), paid_tokens: 1, embedder: 'same', vector: [1, 0, 0, 0],
    }]);
    table.close();
    connection.close();
    const result = await activities.lookupCachedAnswer({
      tenant: 'shop', question: 'Is the warehouse open on Sundays?', scope, passages: [refunds], policy,
    });
    expect(result.hit?.text).not.toBe('Planted [1].');
    expect(result.misses.join(' ')).toMatch(/another tenant/);
  });

  it('does not serve an expired entry', async () => {
    await activities.storeCachedAnswer({
      tenant: 'shop', question: 'When do refunds arrive?', scope, passages: [refunds], text: 'Soon [1].',
      citations: [], model: 'extractive', workflowId: 'answer~shop~q2', paidTokens: 5,
      policy: { ...policy, ttlMs: 1 },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const result = await activities.lookupCachedAnswer({
      tenant: 'shop', question: 'When do refunds arrive?', scope, passages: [refunds], policy: { ...policy, semantic: false },
    });
    expect(result.hit).toBeUndefined();
    expect(result.misses.join(' ')).toMatch(/expired/);
  });

  it('deletes expired entries as it stores new ones', async () => {
    const sweeping = createCacheActivities({ answerCache: store, embedder: sameVector, sweepEvery: 2 });
    const entry = (question: string, ttlMs: number) => ({
      tenant: 'sweep', question, scope, passages: [refunds], text: 'Within 30 days [1].', citations: [],
      model: 'extractive', workflowId: 'answer~sweep~q', paidTokens: 1, policy: { ...policy, ttlMs },
    });
    const key = (question: string) => exactKey('sweep', scope, question, contextKey([refunds]));
    await sweeping.storeCachedAnswer(entry('Short-lived?', 1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.get('sweep', key('Short-lived?'))).toBeDefined();
    await sweeping.storeCachedAnswer(entry('Long-lived?', 3_600_000));
    expect(await store.get('sweep', key('Short-lived?'))).toBeUndefined();
    expect(await store.get('sweep', key('Long-lived?'))).toBeDefined();
  });

  it('answers a broken cache with a miss, and refuses a malformed request', async () => {
    const broken: Embedder = { id: 'broken', dimensions: 4, embed: async () => { throw new Error('model gone'); } };
    const withBroken = createCacheActivities({ answerCache: store, embedder: broken });
    const result = await withBroken.lookupCachedAnswer({
      tenant: 'shop', question: 'Anything new?', scope, passages: [refunds], policy: { ...policy, exact: false },
    });
    expect(result.hit).toBeUndefined();
    expect(result.misses.join(' ')).toMatch(/cache unavailable: model gone/);
    await expect(activities.lookupCachedAnswer({
      tenant: 'shop', question, scope, passages: [refunds], policy: { ...policy, ttlMs: -1 },
    })).rejects.toThrow(/invalid cache lookup: policy.ttlMs/);
  });
});

describe('cache keys', () => {
  it('normalises case, spacing and trailing punctuation only', () => {
    expect(normaliseQuestion('  What IS  the policy?? ')).toBe('what is the policy');
    expect(normaliseQuestion('Is it 30 days?')).not.toBe(normaliseQuestion('Is it 31 days?'));
  });

  it('keys the context by its set of chunks, so order does not matter but content does', () => {
    expect(contextKey([refunds, shipping])).toBe(contextKey([shipping, refunds]));
    expect(contextKey([refunds])).not.toBe(contextKey([{ ...refunds, id: 'c-refunds-v2' }]));
  });

  it('refuses to renumber when a cited chunk is gone, and drops markers that named no passage', () => {
    expect(renumberMarkers('A [1] B [2]', { 1: 'x', 2: 'y' }, [{ id: 'y' }, { id: 'x' }])).toBe('A [2] B [1]');
    expect(renumberMarkers('A [1]', { 1: 'x' }, [{ id: 'y' }])).toBeUndefined();
    expect(renumberMarkers('A [1] [9]', { 1: 'x' }, [{ id: 'x' }])).toBe('A [1] ');
  });
});
