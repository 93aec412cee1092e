import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateFeedback, FeedbackStore } from '../../../../activities/feedback/feedback-store';
import type { FeedbackRecord } from '../../../../contracts/feedback';

const rating = (fields: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  tenant: 'acme', workflowId: 'answer~acme~1', runId: 'run-1', status: 'answered',
  promptId: 'grounded-answer', promptVersion: 'v1', variant: 'default', model: 'extractive', route: 'default',
  rating: 'up', recordedAt: '2025-01-01T00:00:00.000Z', ...fields,
});

describe('FeedbackStore (embedded LanceDB)', () => {
  let directory: string;
  let store: FeedbackStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'sluice-feedback-'));
    store = await FeedbackStore.open(directory);
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("replaces a user's earlier rating of the same run, and keeps other users' ratings", async () => {
    await store.upsert(rating({ userId: 'ann', comment: 'great' }));
    await store.upsert(rating({ userId: 'bob' }));
    await store.upsert(rating({ userId: 'ann', rating: 'down', recordedAt: '2025-01-02T00:00:00.000Z' }));
    const stored = await store.list('acme');
    expect(stored.map((record) => [record.userId, record.rating])).toEqual([['bob', 'up'], ['ann', 'down']]);
    // The replacing rating carries no comment, so the earlier one's comment is gone with it.
    expect(stored.find((record) => record.userId === 'ann')?.comment).toBeUndefined();
  });

  it('stores a retried write once, and never lets an older write replace a newer one', async () => {
    const newer = rating({ rating: 'down', recordedAt: '2025-01-02T00:00:00.000Z', comment: 'wrong' });
    await store.upsert(newer);
    await store.upsert(newer);
    await store.upsert(rating({ recordedAt: '2025-01-01T00:00:00.000Z' }));
    expect(await store.list('acme')).toEqual([newer]);
  });

  it("aggregates by prompt version and variant, and one prompt's only when asked", async () => {
    await store.upsert(rating({ workflowId: 'a1', userId: 'ann' }));
    await store.upsert(rating({ workflowId: 'a1', userId: 'bob', rating: 'down' }));
    await store.upsert(rating({ workflowId: 'a2', promptVersion: 'v2', variant: 'treatment' }));
    await store.upsert(rating({ workflowId: 'a3', promptId: 'summary', promptVersion: 'v9' }));
    const report = await store.aggregate('acme');
    expect(report).toEqual({
      tenant: 'acme', total: 4, rows: [
        { promptId: 'grounded-answer', promptVersion: 'v1', variant: 'default', up: 1, down: 1, approval: 0.5 },
        { promptId: 'grounded-answer', promptVersion: 'v2', variant: 'treatment', up: 1, down: 0, approval: 1 },
        { promptId: 'summary', promptVersion: 'v9', variant: 'default', up: 1, down: 0, approval: 1 },
      ],
    });
    expect((await store.aggregate('acme', 'summary')).rows.map((row) => row.promptId)).toEqual(['summary']);
  });

  it("keeps each tenant's ratings apart, even for the same run id and user", async () => {
    await store.upsert(rating({ userId: 'ann' }));
    await store.upsert(rating({ tenant: 'globex', userId: 'ann', rating: 'down' }));
    expect((await store.list('acme')).map((record) => record.rating)).toEqual(['up']);
    expect((await store.aggregate('globex')).rows).toEqual([expect.objectContaining({ up: 0, down: 1 })]);
    expect(await store.aggregate('nobody')).toEqual({ tenant: 'nobody', total: 0, rows: [] });
  });

  it('reads ratings another process stored after this one opened the table', async () => {
    await store.upsert(rating({ userId: 'ann' }));
    const beside = await FeedbackStore.open(directory);
    try {
      expect(await beside.list('acme')).toHaveLength(1);
      await beside.upsert(rating({ userId: 'bob', rating: 'down' }));
      expect((await store.aggregate('acme')).rows[0]).toMatchObject({ up: 1, down: 1 });
    } finally {
      await beside.close();
    }
  });

  it('keeps ratings across reopening the store', async () => {
    await store.upsert(rating());
    await store.close();
    store = await FeedbackStore.open(directory);
    expect(await store.list('acme')).toEqual([rating()]);
  });
});

describe('aggregateFeedback', () => {
  it('gives approval as the share of thumbs up', () => {
    const report = aggregateFeedback('acme', [rating(), rating(), rating({ rating: 'down' })]);
    expect(report.rows[0]).toMatchObject({ up: 2, down: 1, approval: 2 / 3 });
  });
});
