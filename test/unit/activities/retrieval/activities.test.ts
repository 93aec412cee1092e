import { ApplicationFailure } from '@temporalio/common';
import { mkdtempSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetrievalActivities } from '../../../../activities/retrieval/activities';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import { SourceRoots } from '../../../../activities/retrieval/source-roots';
import type { SourceFile } from '../../../../contracts/ingest';
import { uncertainRankingMargin } from '../../../../activities/retrieval/rerank-policy';
import type { VectorStore } from '../../../../activities/retrieval/vector-store';
import type { RerankPolicy, ScoredChunk, SearchMode } from '../../../../contracts/retrieval';

// The ingest and retrieval activities called directly (no server): idempotency, change,
// delete, bad input. The workflow tests run the same activities on the real server.
describe('retrieval activities', () => {
  let store: LanceDbStore;
  let activities: ReturnType<typeof createRetrievalActivities>;
  const folder = mkdtempSync(join(tmpdir(), 'sluice-activities-'));
  const file = (name: string, content: string | Buffer): SourceFile => {
    writeFileSync(join(folder, name), content);
    return { path: join(folder, name), documentId: name, bytes: Buffer.byteLength(content) };
  };
  const retrieve = (tenant: string, query: string, extra: object = {}) =>
    activities.retrievePassages({ tenant, query, topK: 10, ...extra });

  beforeEach(async () => {
    store = await LanceDbStore.open(mkdtempSync(join(tmpdir(), 'sluice-activities-store-')), 'chunks', 64);
    activities = createRetrievalActivities({
      store, embedder: new HashingEmbedder(64), sourceRoots: new SourceRoots({ '*': [folder] }),
    });
  });
  afterEach(() => store.close());

  it('writes the same points when an ingest is repeated or retried', async () => {
    const guide = file(
      'guide.md',
      '# Retries\n\nActivities retry with backoff.\n\n# Timeouts\n\nEvery activity has a timeout.',
    );
    const first = await activities.ingestDocument({ tenant: 't', file: guide });
    const again = await activities.ingestDocument({ tenant: 't', file: guide });
    expect(first).toEqual({ documentId: 'guide.md', status: 'ingested', chunks: 2, replacedChunks: 0 });
    expect(again).toEqual(first);
    expect(await store.count('t')).toBe(2);
  });

  it('replaces the chunks of a changed document', async () => {
    await activities.ingestDocument({
      tenant: 't',
      file: file('notes.md', '# A\n\nOld alpha text.\n\n# B\n\nOld beta text.\n\n# C\n\nOld gamma text.'),
    });
    const changed = await activities.ingestDocument({ tenant: 't', file: file('notes.md', '# A\n\nNew alpha text.') });
    expect(changed).toMatchObject({ chunks: 1, replacedChunks: 3 });
    expect((await retrieve('t', 'alpha beta gamma text')).map((passage) => passage.text)).toEqual(['New alpha text.']);
  });

  it('ingests inline documents through the same path, and deletes documents', async () => {
    const inline = await activities.ingestInlineDocument({
      tenant: 't',
      document: { documentId: 'ticket-7', text: '<h1>Refunds</h1><p>Refunds take five days.</p>', format: 'html' },
    });
    expect(inline).toMatchObject({ status: 'ingested', chunks: 1 });
    expect((await retrieve('t', 'refunds'))[0]).toMatchObject({ documentId: 'ticket-7', title: 'Refunds' });
    expect(await activities.deleteDocuments({ tenant: 't', documentIds: ['ticket-7', 'never-ingested'] })).toEqual({
      documents: [{ documentId: 'ticket-7', deletedChunks: 1 }, { documentId: 'never-ingested', deletedChunks: 0 }],
      deletedChunks: 1,
    });
    expect(await retrieve('t', 'refunds')).toEqual([]);
  });

  it('ingests each JSON-lines record as its own document and reports bad records', async () => {
    const rows = [
      JSON.stringify({ id: 'r1', text: 'Qdrant is the production store.' }),
      'oops',
      JSON.stringify({ id: 'r2', text: 'LanceDB is embedded.' }),
    ].join('\n');
    const outcome = await activities.ingestDocument({ tenant: 't', file: file('set.jsonl', rows) });
    expect(outcome).toEqual({
      documentId: 'set.jsonl',
      status: 'ingested',
      chunks: 2,
      replacedChunks: 0,
      records: 2,
      reason: '1 record(s) skipped: line 2: not valid JSON',
    });
    expect((await retrieve('t', 'embedded'))[0]).toMatchObject({ documentId: 'set.jsonl#r2', source: 'set.jsonl' });

    // A record dropped from the file is removed on the next ingest; deleting the file removes the rest.
    const shorter = await activities.ingestDocument({
      tenant: 't',
      file: file('set.jsonl', JSON.stringify({ id: 'r2', text: 'LanceDB is embedded.' })),
    });
    expect(shorter).toMatchObject({ chunks: 1, replacedChunks: 1, records: 1 });
    expect(await store.listDocuments('t', 'set.jsonl')).toEqual(['set.jsonl#r2']);
    expect(await activities.deleteDocuments({ tenant: 't', documentIds: ['set.jsonl'] })).toEqual({
      documents: [{ documentId: 'set.jsonl', deletedChunks: 1 }],
      deletedChunks: 1,
    });
    expect(await store.count('t')).toBe(0);
  });

  it('ingests an uploaded JSON-lines text as its records, and drops the records gone from a later upload', async () => {
    const upload = (text: string) =>
      activities.ingestInlineDocument({ tenant: 't', document: { documentId: 'faq.jsonl', text, format: 'jsonl' } });
    const rows = [{ id: 'q1', text: 'Reset a password from the login page.' }, { id: 'q2', text: 'Invoices are monthly.' }];
    expect(await upload(rows.map((row) => JSON.stringify(row)).join('\n')))
      .toMatchObject({ documentId: 'faq.jsonl', status: 'ingested', chunks: 2, records: 2 });
    expect((await retrieve('t', 'password'))[0]).toMatchObject({ documentId: 'faq.jsonl#q1', source: 'faq.jsonl' });
    expect(await upload(JSON.stringify(rows[1]))).toMatchObject({ chunks: 1, replacedChunks: 1, records: 1 });
    expect(await store.listDocuments('t', 'faq.jsonl')).toEqual(['faq.jsonl#q2']);
  });

  it('skips bad files with a reason and never throws for them', async () => {
    expect(await activities.ingestDocument({ tenant: 't', file: file('empty.md', '\n\n') })).toEqual({
      documentId: 'empty.md',
      status: 'skipped',
      chunks: 0,
      reason: 'empty',
    });
    expect(
      await activities.ingestDocument({ tenant: 't', file: file('blob.txt', Buffer.from([1, 0, 2])) }),
    ).toMatchObject({ status: 'skipped', reason: 'binary content' });
    expect(await activities.ingestDocument({ tenant: 't', file: file('data.xlsx', 'x') })).toMatchObject({
      status: 'skipped',
      reason: 'unknown format (.xlsx)',
    });
  });

  it('skips a listed file that is gone by the time it is read, instead of failing the batch', async () => {
    const gone = file('gone.md', '# Gone\n\nDeleted after the listing.');
    unlinkSync(gone.path);
    expect(await activities.ingestDocument({ tenant: 't', file: gone })).toMatchObject({
      documentId: 'gone.md', status: 'skipped', reason: expect.stringContaining('gone.md'),
    });
  });

  it('rejects an empty query, and an unknown tenant when asked to', async () => {
    await expect(retrieve('t', '   ')).rejects.toMatchObject({
      type: 'InvalidInput',
      message: 'query: must not be empty',
      nonRetryable: true,
    });
    await expect(retrieve('nobody', 'anything', { requireKnownTenant: true })).rejects.toMatchObject({
      type: 'UnknownTenant',
      nonRetryable: true,
    });
    await expect(retrieve('nobody', 'anything')).resolves.toEqual([]);
    await expect(activities.retrievePassages({ tenant: 't', query: 'x', topK: 0 })).rejects.toBeInstanceOf(
      ApplicationFailure,
    );
  });

  it('reranks a wider candidate pool when asked, and says so when no reranker is configured', async () => {
    for (let index = 0; index < 8; index++)
      await activities.ingestInlineDocument({
        tenant: 't',
        document: { documentId: `d${index}`, text: `Shared topic words, variant ${index}.` },
      });
    await expect(retrieve('t', 'shared topic', { rerank: true })).rejects.toMatchObject({ type: 'InvalidInput' });
    const seen: number[] = [];
    // Reverses whatever it gets: shows the pool is wider than topK and the order is the reranker's.
    const reranker = {
      id: 'reverse',
      rerank: async (_query: string, candidates: readonly ScoredChunk[], topK: number) => {
        seen.push(candidates.length);
        return [...candidates]
          .reverse()
          .slice(0, topK)
          .map((candidate, rank) => ({ ...candidate, score: 1 / (rank + 1) }));
      },
    };
    const reranking = createRetrievalActivities({ store, embedder: new HashingEmbedder(64), reranker });
    const plain = await reranking.retrievePassages({ tenant: 't', query: 'shared topic', topK: 2 });
    const reranked = await reranking.retrievePassages({ tenant: 't', query: 'shared topic', topK: 2, rerank: true });
    expect(seen).toEqual([8]);
    expect(reranked).toHaveLength(2);
    expect(reranked.map((passage) => passage.id)).not.toEqual(plain.map((passage) => passage.id));
  });

  it("reranks under 'uncertain' only when the hybrid ranking's first two are close", async () => {
    let gap = 0;
    // A store whose ranking is fixed: the first place leads the second by `gap`.
    const fixedRanking: VectorStore = Object.assign(Object.create(store) as LanceDbStore, {
      search: async (): Promise<ScoredChunk[]> => [0, 1, 2].map((index) => ({
        id: `c${index}`, tenant: 't', documentId: `d${index}`, chunkIndex: 0, title: 'd', source: 'd',
        text: `text ${index}`, score: index === 0 ? 5 + gap : 5 - index / 100,
      })),
    });
    const calls: string[] = [];
    const reranker = {
      id: 'reverse',
      rerank: async (_query: string, candidates: readonly ScoredChunk[], topK: number) => {
        calls.push(`${candidates.length}`);
        return [...candidates].reverse().slice(0, topK);
      },
    };
    const reranking = createRetrievalActivities({ store: fixedRanking, embedder: new HashingEmbedder(64), reranker });
    const first = async (rerank: RerankPolicy, mode: SearchMode = 'hybrid') => {
      const found = await reranking.retrievePassages({ tenant: 't', query: 'q', topK: 2, rerank, mode });
      expect(found).toHaveLength(2);
      return found[0]!.id;
    };
    gap = uncertainRankingMargin / 2;
    expect(await first('uncertain')).toBe('c2');
    gap = uncertainRankingMargin * 2;
    expect(await first('uncertain')).toBe('c0');
    expect(calls).toEqual(['3']);
    // A clear lead still goes to the reranker when the route always reranks, or when the scores are not fused.
    expect(await first(true)).toBe('c2');
    expect(await first('uncertain', 'lexical')).toBe('c2');
    expect(await first(false)).toBe('c0');
    expect(calls).toHaveLength(3);
  });

  it('gives an in-process reranker the unredacted question, and a remote one the redacted text', async () => {
    await activities.ingestInlineDocument({
      tenant: 't', document: { documentId: 'd', text: 'Anna Berg runs the billing team.' },
    });
    const queries: string[] = [];
    const recording = (inProcess: boolean) => ({
      id: 'recording', inProcess,
      rerank: async (query: string, candidates: readonly ScoredChunk[], topK: number) => {
        queries.push(query);
        return candidates.slice(0, topK);
      },
    });
    const request = {
      tenant: 't', query: 'who is [PERSON_1]', unredactedQuery: 'who is Anna Berg', topK: 1, rerank: true,
    };
    for (const inProcess of [true, false]) {
      await createRetrievalActivities({ store, embedder: new HashingEmbedder(64), reranker: recording(inProcess) })
        .retrievePassages(request);
    }
    expect(queries).toEqual(['who is Anna Berg', 'who is [PERSON_1]']);
  });

  it('packs reranked passages when a route asks, and packs without a rerank on a worker that has none', async () => {
    for (let index = 0; index < 4; index++)
      await activities.ingestInlineDocument({
        tenant: 't', document: { documentId: `r${index}`, text: `Shared topic, part ${index}.` },
      });
    const request = { tenant: 't', query: 'shared topic', topK: 2, tokenBudget: 500, rerank: true };
    const plain = await activities.retrieveContext({ ...request, rerank: false });
    expect((await activities.retrieveContext(request)).passages.map((passage) => passage.id))
      .toEqual(plain.passages.map((passage) => passage.id));
    const reverse = {
      id: 'reverse',
      rerank: async (_query: string, candidates: readonly ScoredChunk[], topK: number) =>
        [...candidates].reverse().slice(0, topK).map((candidate, rank) => ({ ...candidate, score: 1 / (rank + 1) })),
    };
    const reranked = await createRetrievalActivities({ store, embedder: new HashingEmbedder(64), reranker: reverse })
      .retrieveContext(request);
    expect(reranked.passages.map((passage) => passage.id)).not.toEqual(plain.passages.map((passage) => passage.id));
  });

  it('packs retrieved passages under a token budget with citations', async () => {
    for (let index = 0; index < 6; index++) {
      await activities.ingestInlineDocument({
        tenant: 't',
        document: { documentId: `d${index}`, text: `Workflow retries and timeouts, note ${index}. `.repeat(8) },
      });
    }
    const packed = await activities.retrieveContext({
      tenant: 't',
      query: 'workflow retries',
      topK: 6,
      tokenBudget: 150,
    });
    expect(packed.passages.length).toBeGreaterThan(0);
    expect(packed.totalTokens).toBeLessThanOrEqual(150);
    expect(packed.passages[0]).toMatchObject({ tenant: 't', chunkIndex: 0 });
  });

  it("trims the packed passages by the route's context policy, and refuses a bad one naming the field", async () => {
    const topics = ['retries back off', 'timeouts bound calls', 'budgets settle', 'caches expire'];
    for (const [index, topic] of topics.entries()) {
      await activities.ingestInlineDocument({
        tenant: 't', document: { documentId: `d${index}`, text: `Workflow ${topic}; note ${index}.` },
      });
    }
    // Dense only: the full-text index is built in the background, so hybrid results may shift between calls.
    const request = {
      tenant: 't', query: 'workflow retries timeouts budgets caches', topK: 4, tokenBudget: 2_000, mode: 'dense',
    } as const;
    const full = await activities.retrieveContext(request);
    const trimmed = await activities.retrieveContext({ ...request, context: { maxPassages: 2 } });
    expect(full.passages.length).toBeGreaterThan(2);
    const ids = (passages: { id: string }[]) => passages.map((passage) => passage.id);
    expect(ids(trimmed.passages)).toEqual(ids(full.passages.slice(0, 2)));
    expect(trimmed.droppedByPolicy).toHaveLength(full.passages.length - 2);
    await expect(activities.retrieveContext({ ...request, context: { maxPassages: 0 } }))
      .rejects.toThrow(/context\.maxPassages: must be at least 1/);
  });

  it("cuts each packed passage to the sentences nearest the request's question under focusSentences", async () => {
    await activities.ingestInlineDocument({ tenant: 't', document: { documentId: 'guide', text: [
      'Workers poll task queues for work.', 'Retries back off exponentially after a failure.',
      'Budgets settle once per run.', 'Reviewers answer within a deadline.',
    ].join(' ') } });
    const request = {
      tenant: 't', query: 'How do retries back off?', topK: 1, tokenBudget: 2_000, mode: 'dense',
    } as const;
    const whole = await activities.retrieveContext(request);
    const focused = await activities.retrieveContext({ ...request, context: { focusSentences: 1 } });
    expect(focused.passages.map((passage) => passage.id)).toEqual(whole.passages.map((passage) => passage.id));
    expect(focused.passages[0]!.text).toBe('... Retries back off exponentially after a failure. ...');
    expect(focused.elidedByPolicy).toEqual({ [whole.passages[0]!.id]: 3 });
    expect(whole).not.toHaveProperty('elidedByPolicy');
  });
});
