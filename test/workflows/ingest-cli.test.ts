import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSluice } from '../helpers/sluice-cli';
import { freshDataDir, startTestStack, type TestStack } from '../helpers/temporal-env';

describe('sluice ingest and sluice delete', () => {
  let stack: TestStack;
  const sluice = (args: string[], address: string) => runSluice(args, { address, tenant: 'cli-ingest' });

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(() => stack?.stop());

  it('reports partly ingested JSON-lines files and deletes a document by id', async () => {
    const folder = freshDataDir();
    writeFileSync(join(folder, 'faq.jsonl'), `${JSON.stringify({ id: 'q1', text: 'Refunds take five days.' })}\n{oops\n`);
    writeFileSync(join(folder, 'page.html'), '<h1>Shipping</h1><p>Orders ship the same day.</p>');
    const ingest = await sluice(['ingest', folder], stack.env.address);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain('partly ingested faq.jsonl: 1 record(s) skipped: line 2: not valid JSON');
    expect(ingest.stdout).toMatch(/ingested 2 document\(s\), 2 chunk\(s\); skipped 0/);
    expect(await stack.dependencies.store.count('cli-ingest', 'page.html')).toBe(1);

    const removed = await sluice(['delete', 'page.html', 'faq.jsonl#q1'], stack.env.address);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe('page.html: 1 chunk(s) deleted\nfaq.jsonl#q1: 1 chunk(s) deleted\n');
    expect(await stack.dependencies.store.count('cli-ingest')).toBe(0);
  });

  it('rejects a delete without document ids with one clear line', async () => {
    const result = await sluice(['delete'], stack.env.address);
    expect(result.code).toBe(2); // a usage error (client/cli/exit-codes.ts)
    expect(result.stderr).toContain("missing required argument 'documentIds'");
  });
});
