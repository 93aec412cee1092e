import { WorkflowFailedError } from '@temporalio/client';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceRoots } from '../../activities/retrieval/source-roots';
import type { DocumentOutcome, IngestResult } from '../../contracts/ingest';
import { workflowTypes } from '../../contracts/workflow-types';
import { SluiceClient } from '../../client/sluice-client';
import { runSluice } from '../helpers/sluice-cli';
import { startTestStack, type TestStack, plainClientOptions } from '../helpers/temporal-env';

// A path in an ingest request is read by the worker: a tenant may only name its own folders.
describe('ingest by path on a shared worker', () => {
  const base = mkdtempSync(join(tmpdir(), 'sluice-ingest-roots-'));
  const acmeDocs = join(base, 'acme');
  const otherDocs = join(base, 'other');
  let stack: TestStack;

  beforeAll(async () => {
    mkdirSync(acmeDocs);
    mkdirSync(otherDocs);
    writeFileSync(join(acmeDocs, 'guide.md'), '# Guide\n\nAcme ships on Mondays.');
    writeFileSync(join(otherDocs, 'secret.md'), '# Secret\n\nThe other tenant\'s margin is 42 percent.');
    stack = await startTestStack(() => ({ sourceRoots: new SourceRoots({ acme: [acmeDocs], other: [otherDocs] }) }));
  });

  afterAll(() => stack?.stop());

  it('ingests from the tenant\'s own folder', async () => {
    const result = await stack.execute<IngestResult>(workflowTypes.ingest, 'ingest-roots-own', {
      tenant: 'acme', ingestId: 'own', path: acmeDocs,
    });
    expect(result.ingestedDocuments).toBe(1);
  });

  it.each([
    ['another tenant\'s folder', () => otherDocs],
    ['a `..` path out of its folder', () => join(acmeDocs, '..', 'other')],
    ['a file of the worker host', () => '/etc/hostname'],
  ])('fails at once, not retried, for %s', async (_case, path) => {
    const attempt = stack.execute(workflowTypes.ingest, `ingest-roots-${Math.random()}`, {
      tenant: 'acme', ingestId: 'x', path: path(),
    });
    await expect(attempt).rejects.toBeInstanceOf(WorkflowFailedError);
    await expect(attempt).rejects.toMatchObject({
      cause: { cause: { type: 'SourceNotAllowed', message: expect.stringContaining('SLUICE_INGEST_ROOTS') } },
    });
    expect(await stack.dependencies.store.count('acme', 'secret.md')).toBe(0);
  });

  it('skips a crafted file list naming another tenant\'s file', async () => {
    const outcomes = await stack.execute<DocumentOutcome[]>(workflowTypes.ingestBatch, 'ingest-roots-crafted', {
      tenant: 'acme', files: [{ path: join(otherDocs, 'secret.md'), documentId: 'secret.md', bytes: 60 }],
    });
    expect(outcomes[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('outside the folders') });
    expect(await stack.dependencies.store.count('acme', 'secret.md')).toBe(0);
  });

  it('ingests a folder the worker may not read when the client uploads its content', async () => {
    const client = await SluiceClient.connect({ temporalAddress: stack.env.address }, plainClientOptions);
    try {
      await expect((await client.startIngest({ tenant: 'beta', path: otherDocs })).result())
        .rejects.toMatchObject({ failureType: 'SourceNotAllowed' });
      const uploaded = await (await client.startIngest({ tenant: 'beta', path: otherDocs, transfer: 'upload' }))
        .result();
      expect(uploaded).toMatchObject({ ingestedDocuments: 1, skippedDocuments: 0 });
      expect(await stack.dependencies.store.count('beta', 'secret.md')).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('lets the CLI upload with --upload and says how when the worker refuses a path', async () => {
    const refused = await runSluice(['ingest', otherDocs], { address: stack.env.address, tenant: 'gamma' });
    expect(refused.code).toBe(4); // refused by policy (client/cli/exit-codes.ts)
    expect(refused.stderr).toMatch(/\nsluice: .* is outside the folders tenant gamma may ingest from .*--upload/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const uploaded = await runSluice(['ingest', '--upload', otherDocs], {
      address: stack.env.address, tenant: 'gamma',
    });
    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toMatch(/ingested 1 document\(s\)/);
  });
});
