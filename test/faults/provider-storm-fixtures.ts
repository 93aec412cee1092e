import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ActivityDependencies } from '../../activities';
import { CircuitBreakerRegistry } from '../../activities/models/circuit-breaker';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import type { BreakerSettings, ModelCatalog, RetrySettings } from '../../contracts/model-catalog';
import type { ModelAttempt } from '../../contracts/models';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { createLlmWorker } from '../../workers/llm-worker';
import { createLogger } from '../../workers/logger';
import { installRuntime } from '../../workers/runtime';
import { openTestDependencies, startWorker } from '../helpers/temporal-env';
import type { FaultStormProxy } from './provider-fault-proxy';

// The stack a provider fault storm runs on: answerWorkflow on the orchestration worker, the two
// real provider workers (OpenAI and Anthropic SDKs) on their own queues, both providers pointed
// at a FaultStormProxy, and the sample corpus ingested for tenant `storm`. Shared by
// test/faults/provider-fault-storm.test.ts and bench/reliability/provider-faults.ts.

export const stormTenant = 'storm';

/** Tags each question with its run, so the proxy can tell which run a provider request belongs to. */
export const stormRunTag = /storm case (\d+)/;

const questions = [
  'What happens when a worker process crashes in the middle of an answer?',
  'How are rate limits and server errors retried?',
  'Which vector store does production use?',
  'What does the extractive model do when every provider is down?',
];

/** The question of run `index`, tagged with it. */
export const stormQuestion = (index: number): string =>
  `${questions[index % questions.length]!} (storm case ${index})`;

/** Answers like a grounded model: quotes the first sentence of passage [1] with its marker, so gates pass it. */
export function groundedReply(_model: string, userMessage: string): string {
  const firstPassage = /\[1\] \([^)]*\) ([^\n]*)/.exec(userMessage)?.[1] ?? '';
  return `${firstPassage.split(/(?<=\.)\s/)[0] ?? ''} [1]`;
}

/** Provider settings of the storm catalog: timeouts short enough that a hang ends in two seconds. */
export const stormTimeouts = {
  /** The provider call's own stall limit: what ends a hung request. */
  requestTimeoutMs: 2_000,
  callTimeoutMs: 6_000,
  heartbeatTimeoutMs: 4_000,
  queueTimeoutMs: 5_000,
} as const;

export const stormRetry: RetrySettings = {
  initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 400, maximumAttempts: 3,
};

/** Model ids of the storm route's chain, the protocol each speaks, and its provider. */
export const stormModels = [
  { id: 'gpt-mini', provider: 'openai', protocol: 'openai' },
  { id: 'claude-haiku', provider: 'anthropic', protocol: 'anthropic' },
] as const;

/** A catalog whose default route is [OpenAI model, Anthropic model], extractive after them. */
export function stormCatalog(
  proxy: Pick<FaultStormProxy, 'openAIBaseUrl' | 'anthropicBaseUrl'>, breaker: Partial<BreakerSettings> = {},
): ModelCatalog {
  const settings = { ...stormTimeouts, retry: stormRetry, breaker };
  return parseModelCatalog({
    providers: {
      openai: { kind: 'openai', baseUrl: proxy.openAIBaseUrl, apiKeyEnv: 'STORM_OPENAI_KEY', ...settings },
      anthropic: { kind: 'anthropic', baseUrl: proxy.anthropicBaseUrl, apiKeyEnv: 'STORM_ANTHROPIC_KEY', ...settings },
    },
    models: [
      {
        id: 'gpt-mini', provider: 'openai', providerModel: 'gpt-4o-mini', tier: 'small', contextWindow: 128_000,
        inputPricePerMillionUsd: 0.15, outputPricePerMillionUsd: 0.6, tokenizer: 'o200k_base',
      },
      {
        id: 'claude-haiku', provider: 'anthropic', providerModel: 'claude-haiku-4-5', tier: 'small',
        contextWindow: 200_000, inputPricePerMillionUsd: 1, outputPricePerMillionUsd: 5,
      },
      { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000 },
    ],
    // One model call per answer: the judge-and-revise loop would add calls the storm does not target.
    routes: { default: { chain: ['gpt-mini', 'claude-haiku'], refine: { enabled: false } } },
  });
}

/**
 * Upper bound, from the catalog alone, on how long the model step of one answer may take when
 * every attempt of every model in the chain runs out its budget: per attempt the queue wait plus
 * the start-to-close timeout, and between attempts the longest backoff (or a 1 s retry-after).
 */
export function modelStepBoundMs(catalog: ModelCatalog): number {
  const chain = catalog.routes.default!.chain;
  let total = 0;
  for (const id of chain) {
    const provider = catalog.providers[catalog.models.find((model) => model.id === id)!.provider];
    if (!provider) continue;
    const { maximumAttempts, maximumIntervalMs } = provider.retry;
    total += maximumAttempts * (provider.queueTimeoutMs + provider.callTimeoutMs);
    total += (maximumAttempts - 1) * Math.max(maximumIntervalMs, 1_000);
  }
  return total;
}

/**
 * What an answer may spend outside its model step (pin the plan, gates, retrieval, extractive
 * answer): local CPU work and an embedded-store read, given a generous allowance on a loaded 2-core machine.
 */
export const pipelineAllowanceMs = 30_000;

/** Rejects when `promise` has not settled within `ms`, naming `what`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** One line of the workers' logs, as pino wrote it (the fields the storm tests read). */
export interface WorkerLogLine {
  level: number;
  msg: string;
  /** `model call failed`: the provider, the failure's type and the breaker's state after it. */
  provider?: string;
  modelId?: string;
  errorType?: string;
  breaker?: string;
  /** The SDK's `Activity failed`: the activity and its failure. */
  activityType?: string;
  taskQueue?: string;
  error?: { message?: string };
}

/**
 * Installs the Temporal runtime with the production logger (pino at `warn`, workers/logger.ts)
 * writing to memory, and returns the lines written so far. Call once per process, before any
 * connection is made.
 */
export function captureWorkerLogs(): () => WorkerLogLine[] {
  const lines: WorkerLogLine[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += String(chunk);
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) if (line.trim()) lines.push(JSON.parse(line) as WorkerLogLine);
      done();
    },
  });
  installRuntime(createLogger('warn', stream));
  return () => [...lines];
}

/** What the fixtures need of a running Temporal server: the test environment or a bench server. */
export interface StormServer {
  client: Client;
  nativeConnection: NativeConnection;
  namespace?: string;
}

/** The finished run of one question. */
export interface StormRun {
  index: number;
  workflowId: string;
  result: AnswerResult;
  /** Client-side wall time of the run (start to result), for the bench. */
  latencyMs: number;
}

export interface StormStack {
  catalog: ModelCatalog;
  /** The provider workers' breakers (the test resets them between storms). */
  breakers: CircuitBreakerRegistry;
  /** Runs answerWorkflow for question `index` and waits for its result. */
  ask(index: number, prefix?: string): Promise<StormRun>;
  /** Runs `count` questions from `first`, at most `concurrency` at once, in index order. */
  askMany(first: number, count: number, concurrency: number, prefix?: string): Promise<StormRun[]>;
  stop(): Promise<void>;
}

/** Starts the orchestration and both provider workers on `server` and ingests the corpus. */
export async function startStormStack(server: StormServer, catalog: ModelCatalog): Promise<StormStack> {
  const namespace = server.namespace ?? 'default';
  const dependencies: ActivityDependencies = { ...(await openTestDependencies()), modelCatalog: catalog };
  const breakers = new CircuitBreakerRegistry();
  const environment = { STORM_OPENAI_KEY: 'sk-storm-openai', STORM_ANTHROPIC_KEY: 'sk-storm-anthropic' };
  const shared = { connection: server.nativeConnection, namespace, catalog, environment, breakers };
  const workers: Worker[] = [
    await startWorker({ nativeConnection: server.nativeConnection, namespace }, dependencies),
    await createLlmWorker({ ...shared, provider: 'openai' }),
    await createLlmWorker({ ...shared, provider: 'anthropic' }),
  ];
  const running = workers.map((worker) => worker.run());
  const stop = async (): Promise<void> => {
    workers.forEach((worker) => worker.shutdown());
    await Promise.allSettled(running);
    await dependencies.store.close();
  };
  try {
    const ingested = (await server.client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest(stormTenant, 'corpus'),
      args: [{ tenant: stormTenant, ingestId: 'corpus', path: join(__dirname, '..', '..', 'examples', 'corpus') }],
    })) as IngestResult;
    if (ingested.ingestedDocuments === 0) throw new Error('the sample corpus ingested no documents');
  } catch (error) {
    await stop();
    throw error;
  }

  // No answer may take longer than its model step's bound plus the rest of the pipeline.
  const deadlineMs = modelStepBoundMs(catalog) + pipelineAllowanceMs;
  const ask = async (index: number, prefix = 'case'): Promise<StormRun> => {
    const requestId = `${prefix}-${index}`;
    const workflowId = workflowIds.answer(stormTenant, requestId);
    const started = performance.now();
    const result = (await withDeadline(server.client.workflow.execute(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId,
      args: [{ tenant: stormTenant, requestId, question: stormQuestion(index) }],
    }), deadlineMs, workflowId)) as AnswerResult;
    return { index, workflowId, result, latencyMs: performance.now() - started };
  };

  const askMany = async (first: number, count: number, concurrency: number, prefix?: string): Promise<StormRun[]> => {
    const runs: StormRun[] = new Array<StormRun>(count);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        const offset = next++;
        runs[offset] = await ask(first + offset, prefix);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
    return runs;
  };

  return { catalog, breakers, ask, askMany, stop };
}

/**
 * How many provider requests an attempt record stands for: every attempt reached the provider
 * except one the open circuit refused (CircuitOpen: the last attempt, made without a request)
 * and those no worker took in time.
 */
export function requestsOfAttempt(attempt: ModelAttempt): number {
  if (attempt.outcome === 'queue_timeout') return Math.max(0, attempt.attempts - 1);
  if (attempt.errorType === 'CircuitOpen') return attempt.attempts - 1;
  return attempt.attempts;
}
