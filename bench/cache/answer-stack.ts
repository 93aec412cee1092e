// What the answer-cost benches share (bench/cache/savings.ts, bench/cache/context-trim.ts): the eval data,
// a real Temporal dev server with the orchestration worker and an OpenAI provider worker whose model is
// the fake provider server (test/fakes/fake-llm-server.ts, answering extractively and counting tokens),
// a catalog of routes over that one model, and a pool that runs answers at a set concurrency.
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AnswerCacheStore } from '../../activities/cache/answer-cache-store';
import { CircuitBreakerRegistry } from '../../activities/models/circuit-breaker';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { RetrievalDependencies } from '../../activities/retrieval/activities';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import type { ModelCatalogInput } from '../../contracts/model-catalog';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { FakeLlmServer } from '../../test/fakes/fake-llm-server';
import { openTestDependencies } from '../../test/helpers/temporal-env';
import { createLlmWorker } from '../../workers/llm-worker';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { shareModulesAcrossRuns } from '../../workers/share-modules-across-runs.cjs';
import { startBenchServer } from '../bench-server';
import { readJsonLines } from '../retrieval/read-jsonl';
import { extractiveReply } from './extractive-reply';
import { builtInCorpus, builtInQuestions, type BaseQuestion } from './savings-workload';

export const log = (message: string): void => void process.stderr.write(`${message}\n`);
export const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
export const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;
export const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : round(part / whole));

/** A number option of the command line (`--name 12`), or the fallback when absent or not positive. */
export function numberOption(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  const value = index >= 0 ? Number(args[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const evalDir = join(__dirname, '..', '..', '..', 'shared', 'eval', 'rag');
const corpusRowSchema = z.object({ id: z.string(), title: z.string().optional(), text: z.string() });
const questionRowSchema = z.object({
  id: z.string(), question: z.string(), answers: z.array(z.string()).min(1), gold_doc: z.string().optional(),
});
export type CorpusRow = z.infer<typeof corpusRowSchema>;
/** A base question with the passage that answers it (`Article#n`), where the data says. */
export type EvalQuestion = BaseQuestion & { gold_doc?: string };

/** ../shared/eval/rag, or a small built-in corpus when it is absent. */
export function loadEvalData(): { corpus: CorpusRow[]; questions: EvalQuestion[]; source: string } {
  const corpusPath = join(evalDir, 'corpus.jsonl');
  const questionsPath = join(evalDir, 'questions.jsonl');
  if (existsSync(corpusPath) && existsSync(questionsPath)) {
    return {
      corpus: readJsonLines(corpusPath, corpusRowSchema), questions: readJsonLines(questionsPath, questionRowSchema),
      source: '../shared/eval/rag',
    };
  }
  log(`${evalDir} is absent: using the small built-in corpus (${builtInQuestions.length} questions)`);
  return { corpus: builtInCorpus, questions: builtInQuestions, source: 'built-in' };
}

/** Whether an answer contains one of the gold strings (case-insensitive); undefined without gold. */
export const containsGold = (answers: readonly string[], answer: string): boolean | undefined =>
  answers.length === 0 ? undefined : answers.some((gold) => answer.toLowerCase().includes(gold.toLowerCase()));

/** Statuses under which the user gets an answer; every other status withholds it. */
export const released = (status: string): boolean => status === 'answered' || status === 'degraded';

type RouteInput = ModelCatalogInput['routes'][string];

/** Every bench route: one model call per answer (no refinement); a flagged answer is auto-rejected after 1s. */
export const benchRoute: RouteInput = { chain: ['gpt-mini'], refine: { enabled: false }, review: { deadline: '1s' } };

function catalogFor(fake: FakeLlmServer, routes: Record<string, RouteInput>) {
  return parseModelCatalog({
    providers: {
      openai: {
        kind: 'openai', baseUrl: fake.openAIBaseUrl, requestTimeoutMs: 10_000, callTimeoutMs: 30_000,
        heartbeatTimeoutMs: 10_000, activitiesPerSecond: 1_000, maxConcurrent: 16,
        retry: { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 1_000, maximumAttempts: 3 },
      },
    },
    models: [{
      id: 'gpt-mini', provider: 'openai', providerModel: 'gpt-4o-mini', tier: 'small', contextWindow: 128_000,
      tokenizer: 'o200k_base',
    }],
    routes: { default: benchRoute, ...routes },
  });
}

/** A running stack: ask answers on a route, ingest a tenant's corpus, read what the fake provider was sent. */
export interface AnswerStack {
  fake: FakeLlmServer;
  /** The orchestration worker's store and embedder, for searching outside a workflow. */
  dependencies: RetrievalDependencies;
  /** Passages in each prompt the fake answered, in order of arrival (counted from its `[n] (` headers). */
  promptPassages: number[];
  ask(tenant: string, requestId: string, question: string, route: string): Promise<AnswerResult>;
  ingest(tenant: string, corpus: readonly CorpusRow[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts the stack with the given routes (each on the one fake model, with `benchRoute`'s options). */
export async function startAnswerStack(routes: Record<string, RouteInput>): Promise<AnswerStack> {
  const promptPassages: number[] = [];
  const fake = await FakeLlmServer.start({
    reply: (model, prompt) => {
      promptPassages.push((prompt.match(/(?:^|\n)\[\d+\] \(/g) ?? []).length);
      return extractiveReply(model, prompt);
    },
  });
  const catalog = catalogFor(fake, routes);
  const cacheDir = mkdtempSync(join(tmpdir(), 'sluice-bench-cache-'));
  const answerCache = await AnswerCacheStore.open(cacheDir);
  const env = await startBenchServer();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'), webpackConfigHook: shareModulesAcrossRuns(),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const dependencies = { ...(await openTestDependencies()), modelCatalog: catalog, answerCache };
  const { nativeConnection: connection, namespace } = env;
  const workers: Worker[] = [
    await createOrchestrationWorker({ connection, namespace, dependencies, workflowBundle: { code } }),
    await createLlmWorker({
      connection, namespace, catalog, provider: 'openai', breakers: new CircuitBreakerRegistry(),
    }),
  ];
  const running = workers.map((worker) => worker.run());
  return {
    fake, promptPassages, dependencies,
    async ask(tenant, requestId, question, route) {
      return (await env.client.workflow.execute(workflowTypes.answer, {
        taskQueue: taskQueues.orchestration, workflowId: `answer-${tenant}-${requestId}`,
        args: [{ tenant, requestId, question, route }],
      })) as AnswerResult;
    },
    async ingest(tenant, corpus) {
      const started = performance.now();
      const result = (await env.client.workflow.execute(workflowTypes.ingest, {
        taskQueue: taskQueues.orchestration, workflowId: `ingest-${tenant}-corpus`,
        args: [{ tenant, ingestId: 'corpus', documents: corpus.map((row) => ({
          documentId: row.id, text: row.text, format: 'text', ...(row.title ? { title: row.title } : {}),
        })) }],
      })) as IngestResult;
      log(`ingested ${result.ingestedDocuments} documents for ${tenant} in ` +
        `${((performance.now() - started) / 1000).toFixed(1)}s`);
    },
    async close() {
      workers.forEach((worker) => worker.shutdown());
      await Promise.all(running);
      await dependencies.store.close();
      await answerCache.close();
      await env.teardown();
      await fake.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Runs `task` for indexes 0..count-1, at most `limit` at once; results in index order. */
export async function runPool<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Tune / held-out halves of the questions for choosing a context policy: whole articles (the part of
 * `gold_doc` before `#`, else the question id), sorted by name, every other one held out. A setting is
 * chosen on `tune` and reported on `held-out`, whose topics it never saw.
 */
export function contextSplit(questions: readonly EvalQuestion[]): Map<string, 'tune' | 'held-out'> {
  const articleOf = (question: EvalQuestion) => question.gold_doc?.split('#')[0] ?? question.id;
  const articles = [...new Set(questions.map(articleOf))].sort();
  return new Map(questions.map((question) =>
    [question.id, articles.indexOf(articleOf(question)) % 2 === 0 ? 'tune' : 'held-out']));
}
