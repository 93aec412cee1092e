// Shared by the fault and load tests (and bench/reliability): bounded waits, a pool of async loops,
// the questions and a generated corpus, and the self-checks that make a test fail on purpose.
// Worker processes and servers: processes.ts; what the server and the store record: server-record.ts.
import { isGrpcDeadlineError, type Client, type ConnectionLike } from '@temporalio/client';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerResultSchema, type AnswerResult } from '../../contracts/answer';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';

export const projectRoot = join(__dirname, '..', '..');
export const sampleCorpus = join(projectRoot, 'examples', 'corpus');

/** Rejects with `<what>: not within <ms> ms` unless `promise` settles first; nothing is left waiting. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Polls `condition` until it holds; throws `<what>: not within <ms> ms` (with `detail()`) when it does not. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const extra = detail();
      throw new Error(`${what}: not within ${timeoutMs} ms${extra ? ` (${extra})` : ''}`);
    }
    await sleep(100);
  }
}

/**
 * `call` (client calls) under a gRPC deadline `ms` from now, so the calls themselves end (retries
 * included) and none outlives the test; its expiry is reported as `<what>: not within <ms> ms`. A
 * timer a little later backs it up, should a call ignore its deadline.
 */
export async function within<T>(
  connection: ConnectionLike, ms: number, what: string, call: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + ms;
  try {
    return await withDeadline(connection.withDeadline(deadline, call), ms + 10_000, what);
  } catch (error) {
    if (isGrpcDeadlineError(error) && Date.now() >= deadline) throw new Error(`${what}: not within ${ms} ms`);
    throw error;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task(0 … count-1)` on `concurrency` async loops; the first failure stops the loops taking more. */
export async function runPool<T>(
  count: number, concurrency: number, task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  let failed = false;
  const loop = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        results[index] = await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
  return results;
}

/** Questions the sample corpus answers (with citations) under the hashing embedder too. */
export const sampleQuestions = [
  'What happens when a worker process crashes in the middle of an answer?',
  'Which store does production use?',
  'How are prompt injection attempts detected?',
  'How does a reviewer approve an answer?',
  'What happens when a model provider is down?',
] as const;

/** The result of an answer run, checked against the contract: answered from the corpus, with citations. */
export function validAnswer(result: unknown, workflowId: string): AnswerResult {
  const parsed = answerResultSchema.safeParse(result);
  if (!parsed.success) throw new Error(`${workflowId}: result does not match the contract: ${parsed.error.message}`);
  if (parsed.data.status !== 'answered' || parsed.data.citations.length === 0) {
    throw new Error(`${workflowId}: expected an answer with citations, got status ${parsed.data.status}`);
  }
  return parsed.data;
}

/** Writes `count` small Markdown documents (one to three sections each) under `folder`; returns their names. */
export function writeGeneratedCorpus(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true });
  const topics = ['retries', 'timeouts', 'backoff', 'heartbeats', 'replay', 'signals', 'queries', 'workers'];
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    const topic = topics[index % topics.length]!;
    const sections = 1 + (index % 3);
    const body = Array.from({ length: sections }, (_, section) => [
      `## Part ${section + 1} of note ${index}`,
      '',
      `Note ${index} explains ${topic} in section ${section + 1}. A durable pipeline records each step, so a ` +
        `crash of process ${index % 7} resumes at step ${section} instead of starting over. ` +
        `Idempotent writes keyed by document ${index} and chunk ${section} make a retry harmless.`,
      '',
    ].join('\n')).join('\n');
    const name = `note-${String(index).padStart(4, '0')}.md`;
    writeFileSync(join(folder, name), `# Note ${index} on ${topic}\n\n${body}`);
    names.push(name);
  }
  return names;
}

/** Self-checks that make a test fail on purpose (see each test's header); unset in normal runs. */
export type SelfCheck = 'no-restart' | 'duplicate';
export function selfCheck(): SelfCheck | undefined {
  const value = process.env.SLUICE_FAULTS_SELF_CHECK;
  return value === 'no-restart' || value === 'duplicate' ? value : undefined;
}

/** Ingests the sample corpus for each tenant (its own ingest id, `corpus`) and waits, within a minute. */
export async function ingestSampleCorpus(
  client: Client, connection: ConnectionLike, tenants: readonly string[],
): Promise<void> {
  await within(connection, 60_000, 'the sample corpus is ingested', () => Promise.all(tenants.map((tenant) =>
    client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest(tenant, 'corpus'),
      args: [{ tenant, ingestId: 'corpus', path: sampleCorpus }],
    }))));
}
