// Paid tokens saved by the answer cache on a repeat-heavy workload, with answer correctness and false hits.
// JSON lines on stdout (one per run, a summary, examples), logs on stderr; never pass/fail.
//   npm run bench:cache [-- --questions 1000 --concurrency 8 --seed 20240601]
// A real Temporal dev server, the orchestration worker and an OpenAI provider worker; the model is the fake
// provider server (test/fakes/fake-llm-server.ts), which answers with the passage sentence that best overlaps
// the question, cited [n], and counts the tokens it is sent and answers. The same workload runs twice, in
// the same order, on fresh tenants: `naive` (route without a cache) and `cached` (route with
// `cache: { ttl: '1h' }`). Questions: ../shared/eval/rag (a small built-in set when absent). Paraphrases are
// template rewrites (bench/cache/savings-workload.ts), not human paraphrases.
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AnswerCacheStore } from '../../activities/cache/answer-cache-store';
import { CircuitBreakerRegistry } from '../../activities/models/circuit-breaker';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import type { ModelCatalog } from '../../contracts/model-catalog';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { FakeLlmServer } from '../../test/fakes/fake-llm-server';
import { openTestDependencies } from '../../test/helpers/temporal-env';
import { createLlmWorker } from '../../workers/llm-worker';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { startBenchServer, type BenchServer } from '../bench-server';
import { readJsonLines } from '../retrieval/read-jsonl';
import { extractiveReply } from './extractive-reply';
import { percentile } from '../stats';
import {
  buildWorkload, builtInCorpus, builtInQuestions, defaultMix, questionKey, workloadKinds,
  type BaseQuestion, type WorkloadItem, type WorkloadKind, type WorkloadMix,
} from './savings-workload';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const index = args.indexOf(name);
  const value = index >= 0 ? Number(args[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const questionCount = option('--questions', 1000);
const concurrency = option('--concurrency', 8);
const seed = option('--seed', 20_240_601);
/** `--mix 0.22,0.4,0.28,0.1`: shares of new, repeat, paraphrase and near-miss questions. */
function mixOption(): WorkloadMix {
  const index = args.indexOf('--mix');
  if (index < 0) return defaultMix;
  const shares = (args[index + 1] ?? '').split(',').map(Number);
  const sum = shares.reduce((total, share) => total + share, 0);
  if (shares.length !== 4 || shares.some((share) => !(share >= 0)) || Math.abs(sum - 1) > 1e-6)
    throw new Error('--mix takes four shares that sum to 1: new,repeat,paraphrase,near-miss');
  return Object.fromEntries(workloadKinds.map((kind, at) => [kind, shares[at]!])) as WorkloadMix;
}
const mix = mixOption();
const warmUpQuestions = 16;

const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : round(part / whole));

const evalDir = join(__dirname, '..', '..', '..', 'shared', 'eval', 'rag');
const corpusRowSchema = z.object({ id: z.string(), title: z.string().optional(), text: z.string() });
const questionRowSchema = z.object({ id: z.string(), question: z.string(), answers: z.array(z.string()).min(1) });

function loadData(): { corpus: z.infer<typeof corpusRowSchema>[]; questions: BaseQuestion[]; source: string } {
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

function catalogFor(fake: FakeLlmServer): ModelCatalog {
  // One model call per answer: no refinement; a flagged answer is auto-rejected after 1s rather than waiting.
  const route = { chain: ['gpt-mini'], refine: { enabled: false }, review: { deadline: '1s' } };
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
    routes: { default: route, naive: route, cached: { ...route, cache: { ttl: '1h' } } },
  });
}

/** What one answer of a run gave. */
interface Outcome {
  item: WorkloadItem;
  /** `performance.now()` when the run asked and when the answer came back. */
  startedAt: number;
  finishedAt: number;
  latencyMs: number;
  status: string;
  answer: string;
  correct: boolean | undefined;
  hit?: 'exact' | 'semantic';
  cachedQuestion?: string;
  score?: number;
  /** Tokens the result says generation used (0 for a hit). */
  usageTokens: number;
  /** Gates whose decision was not `allow` (a flagged answer is auto-rejected and never cached). */
  flaggedBy: string[];
}

const isCorrect = (item: WorkloadItem, answer: string): boolean | undefined =>
  item.answers.length === 0
    ? undefined
    : item.answers.some((gold) => answer.toLowerCase().includes(gold.toLowerCase()));

async function runPool<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
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

async function main(): Promise<void> {
  const started = performance.now();
  const { corpus, questions, source } = loadData();
  const { items, plan } = buildWorkload(questions, questionCount, seed, mix);
  log(`workload: ${items.length} questions (${JSON.stringify(plan.counts)}), ${corpus.length} passages from ${source}`);

  const fake = await FakeLlmServer.start({ reply: extractiveReply });
  const catalog = catalogFor(fake);
  const cacheDir = mkdtempSync(join(tmpdir(), 'sluice-bench-cache-'));
  const answerCache = await AnswerCacheStore.open(cacheDir);
  const env: BenchServer = await startBenchServer();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
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

  const ask = async (tenant: string, requestId: string, question: string, route: string): Promise<AnswerResult> =>
    (await env.client.workflow.execute(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: `answer-${tenant}-${requestId}`,
      args: [{ tenant, requestId, question, route }],
    })) as AnswerResult;

  try {
    const tenants = { naive: 'bench-naive', cached: 'bench-cached' } as const;
    for (const tenant of Object.values(tenants)) {
      const ingestStarted = performance.now();
      const result = (await env.client.workflow.execute(workflowTypes.ingest, {
        taskQueue: taskQueues.orchestration, workflowId: `ingest-${tenant}-corpus`,
        args: [{ tenant, ingestId: 'corpus', documents: corpus.map((row) => ({
          documentId: row.id, text: row.text, format: 'text', ...(row.title ? { title: row.title } : {}),
        })) }],
      })) as IngestResult;
      log(`ingested ${result.ingestedDocuments} documents for ${tenant} in ` +
        `${((performance.now() - ingestStarted) / 1000).toFixed(1)}s`);
    }
    // Warm-up on the uncached route: retrieval and workers warm, nothing stored anywhere.
    await runPool(warmUpQuestions, concurrency, (index) =>
      ask(tenants.naive, `warm${index}`, items[index % items.length]!.question, 'naive'));
    fake.requests.length = 0;

    const runs: Record<'naive' | 'cached', Outcome[]> = { naive: [], cached: [] };
    const paidTokens = { naive: 0, cached: 0 };
    for (const mode of ['naive', 'cached'] as const) {
      const runStarted = performance.now();
      const firstRequest = fake.requests.length;
      runs[mode] = await runPool(items.length, concurrency, async (index): Promise<Outcome> => {
        const item = items[index]!;
        const startedAt = performance.now();
        const result = await ask(tenants[mode], `q${index}`, item.question, mode);
        const finishedAt = performance.now();
        const usage = result.generation?.usage;
        if ((index + 1) % 100 === 0) log(`${mode}: ${index + 1}/${items.length}`);
        return {
          item, startedAt, finishedAt, latencyMs: finishedAt - startedAt,
          status: result.status, answer: result.answer,
          flaggedBy: result.gateDecisions.filter((decision) => decision.action !== 'allow').map((d) => d.gate),
          correct: isCorrect(item, result.answer), usageTokens: (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0),
          ...(result.cache ? { hit: result.cache.hit, cachedQuestion: result.cache.cachedQuestion,
            score: result.cache.score } : {}),
        };
      });
      const sent = fake.requests.slice(firstRequest);
      const outcomes = runs[mode];
      const latencies = outcomes.map((outcome) => outcome.latencyMs);
      const graded = outcomes.filter((outcome) => outcome.correct !== undefined);
      const inputTokens = sent.reduce((sum, request) => sum + (request.inputTokens ?? 0), 0);
      const outputTokens = sent.reduce((sum, request) => sum + (request.outputTokens ?? 0), 0);
      paidTokens[mode] = inputTokens + outputTokens;
      const statuses: Record<string, number> = {};
      const rejectedBy: Record<string, number> = {};
      for (const outcome of outcomes) {
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
        if (outcome.status !== 'rejected') continue;
        for (const gate of new Set(outcome.flaggedBy)) rejectedBy[gate] = (rejectedBy[gate] ?? 0) + 1;
      }
      print({
        bench: 'answer_cache_savings', run: mode, route: mode, tenant: tenants[mode], questions: items.length,
        answers: outcomes.filter((outcome) => outcome.status === 'answered' || outcome.status === 'degraded').length,
        statuses, rejected_after_review_flag_by_gate: rejectedBy,
        paid_input_tokens: inputTokens, paid_output_tokens: outputTokens, paid_tokens: inputTokens + outputTokens,
        model_calls: sent.filter((request) => request.status === 200).length, provider_requests: sent.length,
        result_usage_tokens: outcomes.reduce((sum, outcome) => sum + outcome.usageTokens, 0),
        hits: {
          exact: outcomes.filter((outcome) => outcome.hit === 'exact').length,
          semantic: outcomes.filter((outcome) => outcome.hit === 'semantic').length,
        },
        correctness: ratio(graded.filter((outcome) => outcome.correct).length, graded.length), graded: graded.length,
        latency_ms: { p50: round(percentile(latencies, 0.5), 1), p99: round(percentile(latencies, 0.99), 1) },
        concurrency, wall_s: round((performance.now() - runStarted) / 1000, 1),
      });
    }
    summarise(items, runs, paidTokens, plan.datasetNearMisses, source, started);
  } finally {
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await dependencies.store.close();
    await answerCache.close();
    await env.teardown();
    await fake.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function summarise(
  items: readonly WorkloadItem[], runs: Record<'naive' | 'cached', Outcome[]>,
  paidTokens: Record<'naive' | 'cached', number>, datasetNearMisses: number, source: string, started: number,
): void {
  const { naive, cached } = runs;
  // A served cachedQuestion is matched back to what it asked through the bench's own normal form.
  const meaningOf = new Map<string, WorkloadItem>();
  for (const item of items) {
    const key = questionKey(item.question);
    if (!meaningOf.has(key)) meaningOf.set(key, item);
  }
  const falseHits: Outcome[] = [];
  const crossQuestionHits: Outcome[] = [];
  for (const outcome of cached) {
    if (!outcome.hit) continue;
    const source = meaningOf.get(questionKey(outcome.cachedQuestion ?? ''));
    if (source?.meaning === outcome.item.meaning) continue;
    crossQuestionHits.push(outcome);
    // False: the cached answer belongs to a question whose gold answers differ (or are unknown).
    const sameGold = source !== undefined && source.answers.length > 0 && outcome.item.answers.length > 0 &&
      source.answers.some((a) => outcome.item.answers.some((b) => a.toLowerCase() === b.toLowerCase()));
    if (!sameGold) falseHits.push(outcome);
  }
  // A repeat or paraphrase asked while the first asking of its question was still running cannot hit.
  const firstAsked = new Map<string, number>();
  items.forEach((item, index) => void (firstAsked.has(item.meaning) || firstAsked.set(item.meaning, index)));
  const askedBefore = (index: number): boolean => firstAsked.get(items[index]!.meaning)! < index;
  const inFlight = (outcome: Outcome, index: number): boolean =>
    askedBefore(index) && cached[firstAsked.get(outcome.item.meaning)!]!.finishedAt > outcome.startedAt;
  const byKind = Object.fromEntries(workloadKinds.map((kind) => {
    const outcomes = cached.filter((outcome) => outcome.item.kind === kind);
    const hits = outcomes.filter((outcome) => outcome.hit);
    const settled = cached.filter((outcome, index) => outcome.item.kind === kind && !inFlight(outcome, index));
    return [kind, {
      n: outcomes.length, hit_rate: ratio(hits.length, outcomes.length),
      exact: hits.filter((outcome) => outcome.hit === 'exact').length,
      semantic: hits.filter((outcome) => outcome.hit === 'semantic').length,
      first_asking_in_flight: outcomes.length - settled.length,
      hit_rate_first_asking_done: ratio(settled.filter((outcome) => outcome.hit).length, settled.length),
    }];
  })) as Record<WorkloadKind, unknown>;
  // What a perfect cache would save: every question asked before (same meaning) served without a call.
  const naiveTokens = naive.reduce((sum, outcome) => sum + outcome.usageTokens, 0);
  const repeatedTokens = naive.reduce((sum, outcome, index) => sum + (askedBefore(index) ? outcome.usageTokens : 0), 0);
  // Released answers only are stored: a question whose first answer was rejected is generated every time.
  const cacheableTokens = naive.reduce((sum, outcome, index) => sum + (askedBefore(index) &&
    naive[firstAsked.get(outcome.item.meaning)!]!.status === 'answered' ? outcome.usageTokens : 0), 0);
  const shouldMiss = cached.filter((outcome) => outcome.item.kind === 'near-miss' || outcome.item.kind === 'new');
  const hitsOf = cached.filter((outcome) => outcome.hit);
  const graded = (outcomes: Outcome[]) => outcomes.filter((outcome) => outcome.correct !== undefined);
  const correct = (outcomes: Outcome[]) => graded(outcomes).filter((outcome) => outcome.correct).length;
  let gotWorse = 0;
  let gotBetter = 0;
  naive.forEach((outcome, index) => {
    const other = cached[index]!;
    if (outcome.correct === true && other.correct === false) gotWorse += 1;
    if (outcome.correct === false && other.correct === true) gotBetter += 1;
  });
  const paraphraseHitsByTemplate: Record<string, string> = {};
  const templates = [...new Set(cached.filter((o) => o.item.kind === 'paraphrase').map((o) => o.item.how!))].sort();
  for (const template of templates) {
    const outcomes = cached.filter((outcome) => outcome.item.how === template);
    paraphraseHitsByTemplate[template] = `${outcomes.filter((outcome) => outcome.hit).length}/${outcomes.length}`;
  }
  const naiveP50 = percentile(naive.map((outcome) => outcome.latencyMs), 0.5);
  const cachedP50 = percentile(cached.map((outcome) => outcome.latencyMs), 0.5);
  const p50Of = (outcomes: Outcome[]) => round(percentile(outcomes.map((outcome) => outcome.latencyMs), 0.5), 1);
  print({
    bench: 'answer_cache_savings', summary: true, questions: items.length, data: source, seed,
    mix: {
      target: mix, actual: Object.fromEntries(workloadKinds.map((kind) =>
        [kind, items.filter((item) => item.kind === kind).length])),
      near_miss_dataset: datasetNearMisses, near_miss_substituted: items.filter((i) => i.how?.startsWith('substituted'))
        .length,
      paraphrases: 'template rewrites (What->Which, Tell me/Do you know/Can you tell me/Quick question prefixes, ' +
        'exactly added or dropped, is called <-> is known as), not human paraphrases',
    },
    // Tokens as the fake provider counted them (input + output, every request it answered).
    paid_tokens: paidTokens,
    paid_token_reduction_pct: round((1 - paidTokens.cached / paidTokens.naive) * 100, 2),
    // Ceiling set by the mix: the share of naive tokens spent on questions whose meaning was asked before.
    perfect_cache_reduction_pct: round((repeatedTokens / naiveTokens) * 100, 2),
    perfect_cache_reduction_released_only_pct: round((cacheableTokens / naiveTokens) * 100, 2),
    correctness: { naive: ratio(correct(naive), graded(naive).length), cached: ratio(correct(cached), graded(cached)
      .length), right_in_naive_wrong_in_cached: gotWorse, wrong_in_naive_right_in_cached: gotBetter },
    hit_rate: ratio(hitsOf.length, cached.length), hit_rate_by_kind: byKind,
    paraphrase_hits_by_template: paraphraseHitsByTemplate,
    false_hits: falseHits.length,
    false_hits_by_kind: Object.fromEntries(workloadKinds.map((kind) =>
      [kind, falseHits.filter((outcome) => outcome.item.kind === kind).length])),
    // A question served another's answer is never stored under its own key, so its repeats hit the same entry.
    false_hit_distinct_questions: new Set(falseHits.map((outcome) => outcome.item.meaning)).size,
    false_hit_rate_new_and_near_miss: ratio(
      falseHits.filter((o) => o.item.kind === 'near-miss' || o.item.kind === 'new').length, shouldMiss.length),
    false_hits_per_hit: ratio(falseHits.length, hitsOf.length),
    cross_question_hits_same_gold: crossQuestionHits.length - falseHits.length,
    latency_p50_ms: { naive: round(naiveP50, 1), cached: round(cachedP50, 1), cached_hits: p50Of(hitsOf),
      cached_misses: p50Of(cached.filter((outcome) => !outcome.hit)) },
    latency_p50_ratio_naive_over_cached: round(naiveP50 / cachedP50, 2),
    total_wall_s: round((performance.now() - started) / 1000, 1),
  });
  const show = (outcome: Outcome) => ({
    kind: outcome.item.kind, how: outcome.item.how, question: outcome.item.question,
    resembles: outcome.item.resembles, served_for: outcome.cachedQuestion, score: outcome.score,
  });
  // Misses the cache could have served: the first asking was released and done before this one started.
  const servable = (outcome: Outcome, index: number): boolean => askedBefore(index) && !inFlight(outcome, index) &&
    cached[firstAsked.get(outcome.item.meaning)!]!.status === 'answered' && !outcome.hit;
  const missedParaphrases = cached.filter((o, index) => o.item.kind === 'paraphrase' && servable(o, index));
  print({
    bench: 'answer_cache_savings', examples: true,
    false_hits: falseHits.slice(0, 10).map(show),
    missed_paraphrases: missedParaphrases.slice(0, 10).map(show),
    missed_paraphrases_servable: missedParaphrases.length,
    missed_repeats: cached.filter((o, index) => o.item.kind === 'repeat' && servable(o, index)).slice(0, 5).map(show),
    missed_repeats_servable: cached.filter((o, index) => o.item.kind === 'repeat' && servable(o, index)).length,
  });
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench:cache failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
