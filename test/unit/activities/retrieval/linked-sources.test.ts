import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetrievalActivities } from '../../../../activities/retrieval/activities';
import { HashingEmbedder } from '../../../../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import { SourceRoots } from '../../../../activities/retrieval/source-roots';

// Symbolic links inside an ingested folder: once left out without a word, now each is read through the tenant's
// roots or reported with the reason it was skipped.
describe('ingesting a folder that holds symbolic links', () => {
  const base = mkdtempSync(join(tmpdir(), 'sluice-links-'));
  const acmeDocs = join(base, 'acme');
  const otherDocs = join(base, 'other');
  let store: LanceDbStore;
  let activities: ReturnType<typeof createRetrievalActivities>;

  beforeAll(async () => {
    mkdirSync(join(acmeDocs, 'handbook'), { recursive: true });
    mkdirSync(otherDocs);
    writeFileSync(join(acmeDocs, 'guide.md'), '# Guide\n\nAcme ships on Mondays.');
    writeFileSync(join(acmeDocs, 'handbook', 'leave.md'), '# Leave\n\nTwenty-five days a year.');
    writeFileSync(join(otherDocs, 'secret.md'), '# Secret\n\nThe other tenant\'s numbers.');
    symlinkSync(join(acmeDocs, 'handbook', 'leave.md'), join(acmeDocs, 'leave-link.md'));
    symlinkSync(join(otherDocs, 'secret.md'), join(acmeDocs, 'secret-link.md'));
    symlinkSync(acmeDocs, join(acmeDocs, 'loop'));
    symlinkSync(join(acmeDocs, 'gone.md'), join(acmeDocs, 'broken.md'));
    store = await LanceDbStore.open(mkdtempSync(join(tmpdir(), 'sluice-links-store-')), 'chunks', 64);
    activities = createRetrievalActivities({
      store, embedder: new HashingEmbedder(64), sourceRoots: new SourceRoots({ acme: [acmeDocs], other: [otherDocs] }),
    });
  });

  afterAll(async () => {
    await store.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('ingests a link to a document inside the roots and reports every other link', async () => {
    const files = await activities.listSourceFiles({ tenant: 'acme', path: acmeDocs });
    const outcomes = [];
    for (const file of files) outcomes.push(await activities.ingestDocument({ tenant: 'acme', file }));
    const byId = Object.fromEntries(outcomes.map((outcome) => [outcome.documentId, outcome]));
    expect(Object.keys(byId)).toEqual([
      'broken.md', 'guide.md', join('handbook', 'leave.md'), 'leave-link.md', 'loop', 'secret-link.md',
    ]);
    expect(byId['leave-link.md']).toMatchObject({ status: 'ingested' });
    expect(byId['secret-link.md']).toMatchObject({
      status: 'skipped', chunks: 0, reason: expect.stringContaining('outside the folders tenant acme may ingest from'),
    });
    expect(byId['broken.md']).toMatchObject({ status: 'skipped', reason: expect.stringContaining('does not exist') });
    // A link to a folder is never walked (a loop of links cannot hold the listing); it is reported.
    expect(byId.loop).toMatchObject({ status: 'skipped', chunks: 0 });
    expect(files.filter((file) => file.documentId.startsWith('loop'))).toHaveLength(1);
  });
});
