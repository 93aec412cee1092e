import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SluiceClient, type Submission } from '../../client/sluice-client';
import { InvalidRequestError, SluiceClientError } from '../../client/errors';
import { answerResultSchema } from '../../contracts/answer';
import { errorTypes } from '../../contracts/error-types';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { startTestStack, type TestStack, plainClientOptions } from '../helpers/temporal-env';
import { runSluice } from '../helpers/sluice-cli';
import { hostileRequests, type HostileRequest } from './hostile-requests';

// A thousand hostile requests through the client, a sample through the CLI and straight to the
// server (bypassing the client's validation), and hostile ingest paths. Each must end in a clear
// validation error or a run whose gates decided; the worker and server must keep serving, and
// nothing from outside the allowed folders may be ingested.

const tenant = 'hostile';
const corpus = join(__dirname, '..', '..', 'examples', 'corpus');

type Outcome =
  | { kind: 'refused'; message: string }
  | { kind: 'ran'; status: string; injectionFlagged: boolean }
  | { kind: 'broken'; error: string };

/** A validation message names the field it is about, e.g. `question: must contain visible text`. */
const namesAField = (message: string): boolean => /^[\w.[\]]+: \S/.test(message);

async function pool<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  }));
  return results;
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function outcomeOf(submission: Submission): Outcome {
  if ('pendingReview' in submission) {
    const flagged = submission.pendingReview.gateDecisions.some(
      (decision) => decision.gate === 'prompt-injection' && decision.action !== 'allow',
    );
    return { kind: 'ran', status: 'pending_review', injectionFlagged: flagged };
  }
  const result = answerResultSchema.parse(submission.result);
  const flagged = result.gateDecisions.some(
    (decision) => decision.gate === 'prompt-injection' && decision.action !== 'allow',
  );
  return { kind: 'ran', status: result.status, injectionFlagged: flagged };
}

describe('hostile input', () => {
  let stack: TestStack;
  let client: SluiceClient;

  beforeAll(async () => {
    stack = await startTestStack();
    client = await SluiceClient.connect({ temporalAddress: stack.env.address }, plainClientOptions);
    const ingest = await client.startIngest({ tenant, path: corpus, ingestId: 'corpus' });
    expect((await ingest.result()).ingestedDocuments).toBe(5);
  });

  afterAll(async () => {
    // Runs sent to review wait for a person; end them so the server stops cleanly.
    for await (const run of stack.env.client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
      await stack.env.client.workflow.getHandle(run.workflowId).terminate('test over').catch(() => undefined);
    }
    await client?.close();
    await stack?.stop();
  });

  it('gives each of 1,000 generated requests through the client a field-named refusal or a gated run', async () => {
    const requests = hostileRequests(tenant, 1_000);
    const outcomes = await pool(requests, 16, async (request): Promise<Outcome> => {
      try {
        const submission = await withDeadline(client.submit(request.input as never), 60_000, request.label);
        return outcomeOf(submission);
      } catch (error) {
        if (error instanceof InvalidRequestError) return { kind: 'refused', message: error.message };
        return { kind: 'broken', error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    });
    const wrong: string[] = [];
    const byClass = new Map<string, { refused: number; ran: number }>();
    outcomes.forEach((outcome, index) => {
      const request: HostileRequest = requests[index]!;
      const counts = byClass.get(request.kind) ?? { refused: 0, ran: 0 };
      byClass.set(request.kind, counts);
      const where = `${request.kind} (${request.label})`;
      if (outcome.kind === 'broken') return wrong.push(`${where}: ${outcome.error}`);
      counts[outcome.kind] += 1;
      if (outcome.kind === 'refused') {
        if (request.expect === 'run') wrong.push(`${where}: refused (${outcome.message})`);
        else if (!namesAField(outcome.message)) wrong.push(`${where}: message names no field: ${outcome.message}`);
        return;
      }
      if (request.expect === 'refuse') wrong.push(`${where}: ran to ${outcome.status} instead of being refused`);
      if (request.kind === 'injection' && !outcome.injectionFlagged) wrong.push(`${where}: injection not flagged`);
    });
    process.stderr.write(`hostile input by class: ${JSON.stringify(Object.fromEntries(byClass))}\n`);
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(outcomes).toHaveLength(1_000);
  }, 600_000);

  it('fails a hostile request sent straight to the server at once, without retrying workflow tasks', async () => {
    const refusedByClient = hostileRequests(tenant, 200, 41).filter((request) => request.expect === 'refuse');
    const sample = refusedByClient.slice(0, 40);
    await pool(sample, 8, async (request) => {
      const workflowId = `raw-${request.input.requestId as string}-${Math.random().toString(36).slice(2)}`;
      const handle = await stack.env.client.workflow.start(workflowTypes.answer, {
        taskQueue: taskQueues.orchestration, workflowId, args: [request.input],
      });
      await expect(withDeadline(handle.result(), 30_000, request.label)).rejects.toMatchObject({
        cause: expect.objectContaining({ type: errorTypes.invalidInput, nonRetryable: true }),
      });
      // One workflow task, failed for good: a bad request is not retried until someone notices.
      const history = await handle.fetchHistory();
      const taskFailures = (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes);
      expect(taskFailures).toHaveLength(0);
    });
  }, 300_000);

  it('answers hostile CLI input with a line saying what is wrong, a non-zero exit, never a stack trace', async () => {
    const cases: string[][] = [
      ['ask', '\u200B\u200B', '-t', tenant],
      ['ask', 'x'.repeat(9_000), '-t', tenant],
      ['ask', 'What is this?', '-t', "acme' OR '1'='1"],
      ['ask', 'What is this?', '-t', '../../etc'],
      ['ask', 'What is this?', '-t', tenant, '-k', '-3'],
      ['ask', 'What is this?', '-t', tenant, '--request-id', 'a b'],
      ['ask', 'What is this?', '-t', tenant, '--route', 'no-such-route'],
      ['ingest', '/etc', '-t', tenant, '--server-path'],
      ['ingest', '/dev/zero', '-t', tenant, '--server-path'],
      ['review', 'list', '-t', "x' OR 'a'='a"],
      ['delete', '../../etc/passwd', '-t', '\u202Eemca'],
    ];
    const outcomes = await pool(cases, 4, (args) => runSluice(args, { address: stack.env.address, tenant }));
    outcomes.forEach((outcome, index) => {
      const label = cases[index]!.map((arg) => arg.slice(0, 30)).join(' ');
      expect({ label, code: outcome.code === 0 ? 0 : 'non-zero' }).toEqual({ label, code: 'non-zero' });
      expect({ label, stackTrace: /\n\s+at /.test(outcome.stderr) }).toEqual({ label, stackTrace: false });
      // A line says what is wrong: the first, or the last after an ingest's progress lines (commander
      // adds the command's usage after an option it cannot parse).
      const said = outcome.stderr.trim().split('\n').find((line) => /^(error|sluice): \S{2,}/.test(line));
      process.stderr.write(`${label.slice(0, 40)} → ${said}\n`);
      expect({ label, said: said !== undefined }).toEqual({ label, said: true });
    });
  }, 300_000);

  it('ingests nothing from outside the allowed folders: traversal, symlinks, devices, big, binary', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sluice-hostile-'));
    writeFileSync(join(folder, 'good.md'), '# Good\n\nThe hostile folder has exactly one good document.');
    writeFileSync(join(folder, 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0xff, 0xfe, 0x00, 0x41]));
    writeFileSync(join(folder, 'huge.md'), `# Huge\n\n${'word '.repeat(1_300_000)}`);
    symlinkSync('/etc/hostname', join(folder, 'hostname.md'));
    symlinkSync('/etc', join(folder, 'etc-link'));
    mkdirSync(join(folder, 'nested'));
    symlinkSync('../../../../../../etc/passwd', join(folder, 'nested', 'passwd.md'));

    const run = await client.startIngest({ tenant: 'hostile-files', path: folder, ingestId: 'hostile-folder' });
    const result = await withDeadline(run.result(), 120_000, 'hostile folder ingest');
    const ingested = result.documents.filter((document) => document.status === 'ingested');
    expect(ingested.map((document) => document.documentId)).toEqual(['good.md']);
    expect(await stack.dependencies.store.count('hostile-files')).toBe(1);

    for (const path of ['/etc', '/etc/passwd', join(folder, '..', '..', 'etc'), '/proc/self/environ']) {
      const attempt = client.startIngest({ tenant: 'hostile-files', path, ingestId: `outside-${path.length}` })
        .then((started) => started.result());
      await expect(withDeadline(attempt, 60_000, path)).rejects.toBeInstanceOf(SluiceClientError);
    }
    expect(await stack.dependencies.store.count('hostile-files')).toBe(1);
  }, 300_000);

  it('still serves an ordinary question afterwards, on the same worker and server', async () => {
    const question = 'What happens when a worker process crashes in the middle of an answer?';
    const outcome = await client.ask({ tenant, question });
    expect(outcome.result.status).toBe('answered');
  });
});
