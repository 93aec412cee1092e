import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIngestReport, type IngestReport } from '../../client/cli/document-commands';
import { formatAnswer } from '../../client/cli/print-answer';
import type { AskOutcome } from '../../client/sluice-client';
import { runSluice, type CliOutcome } from '../helpers/sluice-cli';
import { freshDataDir, startTestStack, type TestStack } from '../helpers/temporal-env';

const root = join(__dirname, '..', '..');
const question = 'What happens to the workflow when a worker process crashes?';
const unreachable = '127.0.0.1:1';

/** The commands listed under "Commands:" in a help text (without commander's own `help`). */
function subcommandsIn(help: string): string[] {
  const section = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').map((line) => /^ {2}(\S+)/.exec(line)?.[1]).filter(
    (name): name is string => name !== undefined && name !== 'help',
  );
}

/** The error object a command printed on stderr with --json; stdout must hold nothing. */
function jsonError(outcome: CliOutcome): { code: string; message: string; exitCode: number } {
  expect(outcome.stdout).toBe('');
  return (JSON.parse(outcome.stderr) as { error: { code: string; message: string; exitCode: number } }).error;
}

describe('the sluice CLI', () => {
  let stack: TestStack;
  let corpus: string;
  const sluice = (args: string[], address: string, tenant = 'cli') => runSluice(args, { address, tenant });

  beforeAll(async () => {
    stack = await startTestStack();
    corpus = freshDataDir();
    cpSync(join(root, 'examples', 'corpus'), corpus, { recursive: true });
    writeFileSync(join(corpus, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });

  afterAll(() => stack?.stop());

  it('ingests a folder, reporting skipped files, then answers with citations and a UI link', async () => {
    const ingest = await sluice(['ingest', corpus], stack.env.address);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain('skipped latin1.txt: not valid UTF-8 text');
    expect(ingest.stdout).toMatch(/ingested 5 document\(s\), \d+ chunk\(s\); skipped 1/);
    expect(ingest.stderr).toMatch(/ingest: 5\/6 documents|ingest: 6\/6 documents/);

    const ask = await sluice(['ask', question], stack.env.address);
    expect(ask.code).toBe(0);
    expect(ask.stdout).toMatch(/\[1\] durability\.md/);
    expect(ask.stdout).toMatch(/workflow: answer~cli~/);
    expect(ask.stdout).toMatch(/inspect: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/answer~cli~/);
  });

  it('prints the same report as one JSON document with `ingest --json`, progress on stderr', async () => {
    const text = await sluice(['ingest', corpus], stack.env.address, 'cli-text');
    const json = await sluice(['ingest', '--json', corpus], stack.env.address, 'cli-json');
    expect([text.code, json.code]).toEqual([0, 0]);
    const report = JSON.parse(json.stdout) as IngestReport;
    expect(report.workflowId).toMatch(/^ingest~cli-json~/);
    expect(report.result).toMatchObject({ ingestedDocuments: 5, skippedDocuments: 1 });
    const withoutLink = (output: string) => output.replace(/\ninspect: .*\n$/, '\n');
    expect(`${formatIngestReport({ ...report, uiUrl: null })}\n`).toBe(withoutLink(text.stdout));
    expect(json.stderr).toContain(`ingest started: ${report.workflowId}`);
    expect(json.stderr).toMatch(/^ingest: \d+\/6 documents, \d+ chunks$/m);
  });

  it('prints the same answer as one JSON document with `ask --json`', async () => {
    const text = await sluice(['ask', '--request-id', 'same', question], stack.env.address);
    const json = await sluice(['ask', '--request-id', 'same', '--json', question], stack.env.address);
    expect([text.code, json.code]).toEqual([0, 0]);
    const outcome = JSON.parse(json.stdout) as AskOutcome;
    expect(outcome.workflowId).toBe('answer~cli~same');
    expect(outcome.result.citations.length).toBeGreaterThan(0);
    expect(`${formatAnswer(outcome)}\n`).toBe(text.stdout);
  });

  it.each([
    [['ask', ''], 'sluice: question: must not be empty'],
    [['ask', 'hi', '--tenant', 'a b'], 'sluice: tenant: may contain only letters'],
    [['ingest', '/no/such/folder'], 'sluice: /no/such/folder does not exist or cannot be read'],
  ])('rejects bad input %j with one clear line and exit code 2', async (args, message) => {
    const result = await sluice(args, stack.env.address);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a bad argument, with commander\'s line or a JSON error', async () => {
    const text = await sluice(['ask', '-k', '0', 'hi'], stack.env.address);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^error: option '-k, --top-k <n>' argument '0' is invalid/);
    const json = await sluice(['ask', '-k', '0', '--json', 'hi'], stack.env.address);
    expect(json.code).toBe(2);
    expect(jsonError(json)).toEqual({
      code: 'usage', exitCode: 2,
      message: "option '-k, --top-k <n>' argument '0' is invalid. must be a positive integer",
    });
    const empty = await sluice(['ask', '--json', ''], stack.env.address);
    expect(empty.code).toBe(2);
    expect(jsonError(empty)).toMatchObject({ code: 'invalid_request', message: 'question: must not be empty' });
  });

  it('exits 3 for a workflow id no run has', async () => {
    const text = await sluice(['review', 'show', 'answer~cli~nope'], stack.env.address);
    expect(text.code).toBe(3);
    expect(text.stderr.trim()).toBe('sluice: no run has the workflow id answer~cli~nope');
    const json = await sluice(['review', 'show', '--json', 'answer~cli~nope'], stack.env.address);
    expect(json.code).toBe(3);
    expect(jsonError(json)).toEqual({
      code: 'not_found', message: 'no run has the workflow id answer~cli~nope', exitCode: 3,
    });
  });

  it('says how to start the server when it is not running, and exits 69', async () => {
    const result = await sluice(['ask', 'hello'], unreachable);
    expect(result.code).toBe(69);
    expect(result.stderr.trim()).toBe(
      'sluice: cannot reach the Temporal server at 127.0.0.1:1: ' +
        'start it with `npm start` (or set SLUICE_TEMPORAL_ADDRESS)',
    );
    const json = await sluice(['review', 'list', '--json'], unreachable);
    expect(json.code).toBe(69);
    expect(jsonError(json)).toMatchObject({ code: 'unavailable', exitCode: 69 });
  });

  it('shows usage and examples with --help on every command, and exits 0', async () => {
    const seen: string[] = [];
    const visit = async (path: string[]): Promise<void> => {
      const help = await sluice([...path, '--help'], unreachable);
      const name = ['sluice', ...path].join(' ');
      expect({ name, code: help.code }).toEqual({ name, code: 0 });
      expect(help.stdout).toMatch(new RegExp(`^Usage: ${name} `));
      expect(help.stdout).toMatch(new RegExp(`\\nExamples:\\n {2}\\$ .*${name}( |\\n|$)`));
      seen.push(path.join(' '));
      for (const child of subcommandsIn(help.stdout)) await visit([...path, child]);
    };
    await visit([]);
    expect(seen).toEqual(expect.arrayContaining([
      'ask', 'ingest', 'delete', 'setup', 'review list', 'review show', 'review approve', 'review reject',
      'review edit', 'feedback', 'feedback report', 'budget show', 'budget set', 'gateway key create',
      'gateway key list', 'gateway key revoke',
    ]));
    expect((await sluice(['--version'], unreachable)).code).toBe(0);
  }, 180_000);
});
