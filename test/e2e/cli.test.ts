import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSluice } from '../helpers/sluice-cli';
import { freshDataDir, startTestStack, type TestStack } from '../helpers/temporal-env';

const root = join(__dirname, '..', '..');

describe('the sluice CLI', () => {
  let stack: TestStack;
  const sluice = (args: string[], address: string) => runSluice(args, { address, tenant: 'cli' });

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(() => stack?.stop());

  it('ingests a folder, reporting skipped files, then answers with citations and a UI link', async () => {
    const folder = freshDataDir();
    cpSync(join(root, 'examples', 'corpus'), folder, { recursive: true });
    writeFileSync(join(folder, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const ingest = await sluice(['ingest', folder], stack.env.address);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain('skipped latin1.txt: not valid UTF-8 text');
    expect(ingest.stdout).toMatch(/ingested 5 document\(s\), \d+ chunk\(s\); skipped 1/);
    expect(ingest.stderr).toMatch(/ingest: 5\/6 documents|ingest: 6\/6 documents/);

    const ask = await sluice(['ask', 'What happens to the workflow when a worker process crashes?'], stack.env.address);
    expect(ask.code).toBe(0);
    expect(ask.stdout).toMatch(/\[1\] durability\.md/);
    expect(ask.stdout).toMatch(/workflow: answer~cli~/);
    expect(ask.stdout).toMatch(/inspect: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/answer~cli~/);
  });

  it.each([
    [['ask', ''], 'sluice: question: must not be empty'],
    [['ask', 'hi', '--tenant', 'a b'], 'sluice: tenant: may contain only letters'],
    [['ingest', '/no/such/folder'], 'sluice: /no/such/folder does not exist or cannot be read'],
  ])('rejects bad input %j with one clear line', async (args, message) => {
    const result = await sluice(args, stack.env.address);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says how to start the server when it is not running', async () => {
    const result = await sluice(['ask', 'hello'], '127.0.0.1:1');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'sluice: cannot reach the Temporal server at 127.0.0.1:1: ' +
        'start it with `npm start` (or set SLUICE_TEMPORAL_ADDRESS)',
    );
  });
});
