import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityDependencies } from '../../activities';
import type { DeleteDocumentsResult, IngestProgress, IngestResult } from '../../contracts/ingest';
import type { ScoredChunk } from '../../contracts/retrieval';
import { taskQueues } from '../../contracts/task-queues';
import { messageNames, workflowTypes } from '../../contracts/workflow-types';
import { makeDocx } from '../helpers/make-docx';
import { makePdf } from '../helpers/make-pdf';
import { freshDataDir, startTestStack, type TestStack } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';

describe('ingestWorkflow on the real Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let stack: TestStack;
  let counter = 0;

  const run = <T>(type: string, input: unknown, workflowId = `test-${type}-${++counter}`): Promise<T> =>
    env.client.workflow.execute(type, { taskQueue: taskQueues.orchestration, workflowId, args: [input] }) as Promise<T>;
  const ingest = (tenant: string, input: object) => run<IngestResult>(workflowTypes.ingest, { tenant, ingestId: `run-${++counter}`, ...input });
  const search = async (tenant: string, text: string): Promise<ScoredChunk[]> => {
    const [vector] = await dependencies.embedder.embed([text]);
    return dependencies.store.search({ tenant, text, vector, topK: 10 });
  };

  beforeAll(async () => {
    stack = await startTestStack();
    ({ env, dependencies } = stack);
  });

  afterAll(() => stack?.stop());

  it('ingests Markdown, HTML and JSON lines, and reports every bad file without failing the batch', async () => {
    const folder = freshDataDir();
    writeFileSync(join(folder, 'guide.md'),
      '# Retries\n\nActivities retry with exponential backoff.\n\n# Timeouts\n\nEvery activity has a start-to-close timeout.');
    writeFileSync(join(folder, 'faq.html'), '<html><head><title>FAQ</title></head><body><h1>Billing</h1><p>Invoices are sent monthly.</p></body></html>');
    writeFileSync(join(folder, 'tickets.jsonl'), `${JSON.stringify({ id: 't1', text: 'Password resets expire after one hour.' })}\nbroken\n`);
    writeFileSync(join(folder, 'empty.md'), '');
    writeFileSync(join(folder, 'blob.txt'), Buffer.from([0, 1, 2, 3]));
    writeFileSync(join(folder, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    writeFileSync(join(folder, 'sheet.xlsx'), 'PK');
    const result = await ingest('formats', { path: folder });
    expect(result.ingestedDocuments).toBe(3);
    expect(result.skippedDocuments).toBe(4);
    const reasons = Object.fromEntries(result.documents.map((document) => [document.documentId, document.reason ?? document.status]));
    expect(reasons).toEqual({
      'blob.txt': 'binary content', 'empty.md': 'empty', 'faq.html': 'ingested', 'guide.md': 'ingested', 'latin1.txt': 'not valid UTF-8 text',
      'sheet.xlsx': 'unknown format (.xlsx)', 'tickets.jsonl': '1 record(s) skipped: line 2: not valid JSON',
    });
    expect((await search('formats', 'how often are invoices sent'))[0]).toMatchObject({ documentId: 'faq.html', title: 'Billing' });
    expect((await search('formats', 'password reset expiry'))[0]?.documentId).toBe('tickets.jsonl#t1');
  });

  it('never duplicates chunks when an ingest is repeated, and replaces a changed document', async () => {
    const folder = freshDataDir();
    writeFileSync(join(folder, 'a.md'), '# One\n\nFirst version about retries.\n\n# Two\n\nSecond section about timeouts.');
    writeFileSync(join(folder, 'b.md'), 'A document about budgets.');
    const first = await ingest('repeat', { path: folder });
    await ingest('repeat', { path: folder });
    expect(await dependencies.store.count('repeat')).toBe(first.chunks);
    writeFileSync(join(folder, 'a.md'), 'Only the rewritten version about circuit breakers remains.');
    const changed = await ingest('repeat', { path: folder });
    expect(changed.documents.find((document) => document.documentId === 'a.md')).toMatchObject({ chunks: 1, replacedChunks: 2 });
    expect(await dependencies.store.count('repeat', 'a.md')).toBe(1);
    expect((await search('repeat', 'retries timeouts circuit breakers')).filter((chunk) => chunk.documentId === 'a.md').map((chunk) => chunk.text))
      .toEqual(['Only the rewritten version about circuit breakers remains.']);
  });

  it('takes inline documents one at a time (streaming updates) and deletes documents', async () => {
    await ingest('stream', { documents: [{ documentId: 'kb/42', text: '# Shipping\n\nOrders ship within two days.' }] });
    await ingest('stream', { documents: [{ documentId: 'kb/42', text: '# Shipping\n\nOrders now ship the same day.' }] });
    expect((await search('stream', 'when do orders ship')).map((chunk) => chunk.text)).toEqual(['Orders now ship the same day.']);
    const deleted = await run<DeleteDocumentsResult>(workflowTypes.deleteDocuments, { tenant: 'stream', requestId: 'del-1', documentIds: ['kb/42'] });
    expect(deleted).toEqual({ documents: [{ documentId: 'kb/42', deletedChunks: 1 }], deletedChunks: 1 });
    expect(await search('stream', 'when do orders ship')).toEqual([]);
  });

  it('reads PDF and Word files by path and inline, sectioned, PDFs cited by page; bad ones skipped', async () => {
    const folder = freshDataDir();
    const manual = makePdf([[[18, 'Refunds'], [11, 'Annual plans are refunded in full within 30 days.']],
      [[18, 'Security'], [11, 'Single sign-on needs the Business plan.']]], { title: 'Acme manual' });
    writeFileSync(join(folder, 'manual.pdf'), manual);
    writeFileSync(join(folder, 'broken.pdf'), '%PDF-1.4 nothing else');
    const travel = await makeDocx([[1, 'Travel'], 'Trains are booked for trips under four hours.']);
    writeFileSync(join(folder, 'travel.docx'), travel);
    const byPath = await ingest('pdf', { path: folder });
    expect(byPath.documents.map(({ documentId, status, reason }) => [documentId, reason ?? status])).toEqual([
      ['broken.pdf', 'not a readable PDF'], ['manual.pdf', 'ingested'], ['travel.docx', 'ingested'],
    ]);
    expect((await search('pdf', 'when are trains booked'))[0])
      .toMatchObject({ documentId: 'travel.docx', title: 'Travel' });
    expect((await search('pdf', 'which plan has single sign-on'))[0]).toMatchObject({
      documentId: 'manual.pdf', title: 'Security', text: 'Single sign-on needs the Business plan.',
      // Cited with its page, the fragment PDF viewers open at.
      source: 'manual.pdf#page=2',
    });
    await ingest('pdf-inline', { documents: [{ documentId: 'm.pdf', format: 'pdf', text: manual.toString('base64') }] });
    expect((await search('pdf-inline', 'refund annual plan'))[0]).toMatchObject({ documentId: 'm.pdf' });
  });

  it('folds what an ingest wrote into the indexes before it reports done, so later searches rank alike', async () => {
    // Scores by document: documents 1 and 2 tie, and a tie may come back in either order.
    const lexical = async (text: string) => Object.fromEntries(
      (await dependencies.store.search({ tenant: 'settle', text, topK: 10, mode: 'lexical' }))
        .map((chunk) => [chunk.documentId, chunk.score]),
    );
    const faq = (id: number, topic: string) => ({
      documentId: `faq/${id}`, text: `# FAQ ${id}\n\nRefunds for ${topic} are paid in ten days.`,
    });
    await ingest('settle', { documents: [faq(1, 'annual plans'), faq(2, 'monthly plans'), faq(3, 'gift cards')] });
    // Written after the table's indexes exist: searched outside the full-text index until something folds it in.
    await ingest('settle', { documents: [faq(4, 'refunds of refunds')] });
    const rightAfter = await lexical('refunds plans');
    expect(Object.keys(rightAfter)).toContain('faq/4');
    await dependencies.store.optimize?.('settle');
    expect(await lexical('refunds plans')).toEqual(rightAfter);
  });

  it('fans a large corpus out to child workflows and continues as new, with a complete report', async () => {
    const folder = freshDataDir();
    mkdirSync(join(folder, 'docs'));
    for (let index = 0; index < 23; index++) {
      const name = `doc-${String(index).padStart(2, '0')}.md`;
      writeFileSync(join(folder, 'docs', name), `Document ${index} is about topic ${index % 5}.`);
    }
    writeFileSync(join(folder, 'docs', 'zz-empty.md'), '');
    const workflowId = 'ingest-large-corpus';
    const started = await env.client.workflow.start(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId,
      args: [{ tenant: 'large', ingestId: 'corpus', path: folder, tuning: { pageSize: 5, childThreshold: 4, filesPerChild: 2, pagesPerRun: 2 } }],
    });
    const result = (await started.result()) as IngestResult;
    expect(result).toMatchObject({ ingestedDocuments: 23, skippedDocuments: 1, chunks: 23 });
    expect(result.documents).toHaveLength(24);
    expect(await dependencies.store.count('large')).toBe(23);

    const latest = env.client.workflow.getHandle(workflowId);
    expect((await latest.describe()).runId).not.toBe(started.firstExecutionRunId);
    const firstRun = await env.client.workflow.getHandle(workflowId, started.firstExecutionRunId).fetchHistory();
    expect(firstRun.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const children = (firstRun.events ?? []).filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(children.length).toBeGreaterThan(0);
    expect(await latest.query<IngestProgress>(messageNames.ingestProgressQuery)).toEqual({ totalDocuments: 24, processedDocuments: 24, chunks: 23 });
    // Today's code replays what it just recorded (first run: children and continue-as-new).
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath } }, firstRun, workflowId)).resolves.toBeUndefined();
  });

  it('fails at once, naming the field, when neither a path nor documents are given', async () => {
    await expect(ingest('bad', {})).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringContaining('give a path or at least one document') },
    });
  });
});
