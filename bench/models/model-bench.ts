// Model-layer benchmarks, printed as JSON lines (never pass/fail):
//  1. fallback latency: time from a provider's final failure to the fallback's first request,
//     when retries are exhausted vs when the circuit breaker is open;
//  2. overhead: a model call as a Temporal activity (generateWorkflow) vs a direct SDK call to
//     the same local server: p50/p99 and their ratio.
// Real Temporal dev server from .tools/, real OpenAI/Anthropic SDKs, the fake provider server.
// Usage: npm run bench:models [-- --runs 100]
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { CircuitBreakerRegistry } from '../../activities/models/circuit-breaker';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import { createOpenAIProvider } from '../../activities/models/openai-provider';
import { createProviderActivities } from '../../activities/models/provider-activities';
import type { ModelCatalog } from '../../contracts/model-catalog';
import type { GenerateResult, ModelCallInputRaw } from '../../contracts/models';
import { llmTaskQueue, taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { FakeLlmServer } from '../../test/fakes/fake-llm-server';
import { openTestDependencies } from '../../test/helpers/temporal-env';
import { startBenchServer, type BenchServer } from '../bench-server';
import { createLlmWorker } from '../../workers/llm-worker';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { shareModulesAcrossRuns } from '../../workers/share-modules-across-runs.cjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 50;
const now = (): number => performance.timeOrigin + performance.now();
const print = (record: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(record)}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(2));
}
const summary = (values: number[]) => ({
  n: values.length,
  p50_ms: percentile(values, 50),
  p99_ms: percentile(values, 99),
  mean_ms: Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(2)),
});

function catalogFor(openai: FakeLlmServer, anthropic: FakeLlmServer): ModelCatalog {
  const common = {
    requestTimeoutMs: 2_000,
    callTimeoutMs: 10_000,
    heartbeatTimeoutMs: 5_000,
    retry: { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 400, maximumAttempts: 3 },
  };
  return parseModelCatalog({
    providers: {
      openai: {
        kind: 'openai',
        baseUrl: openai.openAIBaseUrl,
        ...common,
        breaker: { windowMs: 600_000, minimumCalls: 3, failureRate: 0.5, openMs: 3_600_000 },
        activitiesPerSecond: 1_000,
        maxConcurrent: 16,
      },
      anthropic: {
        kind: 'anthropic',
        baseUrl: anthropic.anthropicBaseUrl,
        ...common,
        activitiesPerSecond: 1_000,
        maxConcurrent: 16,
      },
    },
    models: [
      {
        id: 'gpt-mini',
        provider: 'openai',
        providerModel: 'gpt-4o-mini',
        tier: 'small',
        contextWindow: 128_000,
        tokenizer: 'o200k_base',
      },
      { id: 'claude', provider: 'anthropic', tier: 'small', contextWindow: 200_000 },
    ],
    routes: { default: { chain: ['gpt-mini', 'claude'] }, single: { chain: ['gpt-mini'] } },
  });
}

async function main(): Promise<void> {
  const openai = await FakeLlmServer.start();
  const anthropic = await FakeLlmServer.start();
  const catalog = catalogFor(openai, anthropic);
  const env: BenchServer = await startBenchServer();
  const connection = env.nativeConnection;
  const namespace = env.namespace;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'), webpackConfigHook: shareModulesAcrossRuns(),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const dependencies = { ...(await openTestDependencies()), modelCatalog: catalog };
  const breakers = new CircuitBreakerRegistry();
  // The OpenAI worker's callModel is wrapped to note when its final failure is thrown, which
  // is the start of the fallback interval in the breaker-open case (no request is sent then).
  const failureTimes: number[] = [];
  const providerActivities = createProviderActivities({ catalog, breakers });
  const openaiWorker = await Worker.create({
    connection, namespace, taskQueue: llmTaskQueue('openai'), maxConcurrentActivityTaskExecutions: 16,
    activities: {
      async callModel(input: ModelCallInputRaw) {
        try {
          return await providerActivities.callModel(input);
        } catch (error) {
          failureTimes.push(now());
          throw error;
        }
      },
    },
  });
  const workers: Worker[] = [
    await createOrchestrationWorker({ connection, namespace, dependencies, workflowBundle: { code } }),
    openaiWorker,
    await createLlmWorker({ connection, namespace, catalog, provider: 'anthropic', breakers }),
  ];
  const running = workers.map((worker) => worker.run());
  let sequence = 0;
  const start = (route?: string, stream = true) => {
    const requestId = `bench-${++sequence}`;
    return env.client.workflow.start(workflowTypes.generate, {
      taskQueue: taskQueues.orchestration, workflowId: `generate-bench-${requestId}-${Date.now()}`,
      args: [
        {
          tenant: 'bench',
          requestId,
          route,
          stream,
          messages: [{ role: 'user', content: 'How long does a fallback take?' }],
        },
      ],
    });
  };
  const generate = async (route?: string, stream = true): Promise<GenerateResult> =>
    (await start(route, stream)).result() as Promise<GenerateResult>;
  const millis = (time: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
    Number(time?.seconds) * 1_000 + (time?.nanos ?? 0) / 1e6;
  const historyOf = async (handle: Awaited<ReturnType<typeof start>>) =>
    (await handle.fetchHistory()).events ?? [];
  /** callModel's span in the history: scheduled by the workflow → completion recorded by the server. */
  const activitySpanMs = async (handle: Awaited<ReturnType<typeof start>>): Promise<number> => {
    const events = await historyOf(handle);
    const scheduled = events.find(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'callModel',
    );
    const completed = events.find(
      (event) =>
        event.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === scheduled?.eventId?.toString(),
    );
    return millis(completed?.eventTime) - millis(scheduled?.eventTime);
  };
  /** Server clock: the first model's ActivityTaskFailed → the fallback's ActivityTaskStarted. */
  const failedToFallbackStartMs = async (handle: Awaited<ReturnType<typeof start>>): Promise<number> => {
    const events = await historyOf(handle);
    const failed = events.find((event) => event.activityTaskFailedEventAttributes);
    const fallbackScheduled = events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'callModel',
    )[1];
    const started = events.find(
      (event) =>
        event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() ===
        fallbackScheduled?.eventId?.toString(),
    );
    return millis(started?.eventTime) - millis(failed?.eventTime);
  };

  try {
    for (let warm = 0; warm < 5; warm++) await generate('single');

    // 1a. Retries exhausted: the breaker is reset before each run so the provider is really called.
    openai.failAlways({ kind: 'server-error' });
    const exhausted: number[] = [];
    const exhaustedServer: number[] = [];
    const exhaustedTotal: number[] = [];
    for (let run = 0; run < Math.min(runs, 30); run++) {
      breakers.resetAll();
      openai.requests.length = 0;
      anthropic.requests.length = 0;
      const started = now();
      const handle = await start();
      const result = (await handle.result()) as GenerateResult;
      exhaustedTotal.push(now() - started);
      if (result.model !== 'claude') throw new Error(`expected a fallback to claude, got ${result.model}`);
      exhausted.push(anthropic.requests[0]!.receivedAt - openai.requests.at(-1)!.respondedAt!);
      exhaustedServer.push(await failedToFallbackStartMs(handle));
    }
    print({
      bench: 'fallback_latency',
      case: 'retries_exhausted',
      attempts_per_model: 3,
      final_failure_to_fallback: summary(exhausted),
      server_failed_to_fallback_started: summary(exhaustedServer),
      request_total: summary(exhaustedTotal),
    });

    // 1b. Breaker open: failing requests open it (each request counts once, however often it is
    // retried, so it takes `minimumCalls` of them); later runs fail fast with CircuitOpen.
    breakers.resetAll();
    const openaiBreaker = breakers.get('openai', catalog.providers.openai!.breaker);
    while (openaiBreaker.state !== 'open') await generate();
    const open: number[] = [];
    const openServer: number[] = [];
    const openTotal: number[] = [];
    for (let run = 0; run < runs; run++) {
      anthropic.requests.length = 0;
      const before = openai.requests.length;
      failureTimes.length = 0;
      const started = now();
      const handle = await start();
      const result = (await handle.result()) as GenerateResult;
      openTotal.push(now() - started);
      if (openai.requests.length !== before || result.attempts[0]?.errorType !== 'CircuitOpen')
        throw new Error('expected the open circuit to fail fast');
      open.push(anthropic.requests[0]!.receivedAt - failureTimes[0]!);
      openServer.push(await failedToFallbackStartMs(handle));
    }
    print({
      bench: 'fallback_latency',
      case: 'breaker_open',
      final_failure_to_fallback: summary(open),
      server_failed_to_fallback_started: summary(openServer),
      request_total: summary(openTotal),
    });
    openai.heal();
    breakers.resetAll();

    // 2. Overhead of the activity path over a direct SDK call to the same server.
    for (const stream of [true, false]) {
      const direct = createOpenAIProvider({ apiKey: 'bench', baseURL: openai.openAIBaseUrl });
      const directTimes: number[] = [];
      const workflowTimes: number[] = [];
      const activityTimes: number[] = [];
      const providerTimes: number[] = [];
      for (let run = 0; run < runs; run++) {
        let started = now();
        await direct.complete({
          model: 'gpt-4o-mini',
          stream,
          maxOutputTokens: 64,
          messages: [{ role: 'user', content: 'How long does a fallback take?' }],
        });
        directTimes.push(now() - started);
        started = now();
        const before = openai.requests.length;
        const handle = await start('single', stream);
        await handle.result();
        workflowTimes.push(now() - started);
        activityTimes.push(await activitySpanMs(handle));
        const request = openai.requests[before]!;
        providerTimes.push(request.respondedAt! - request.receivedAt);
      }
      const direct_ = summary(directTimes);
      const activity = summary(activityTimes);
      const workflow = summary(workflowTimes);
      const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
      print({
        bench: 'model_call_overhead', stream, runs,
        direct_sdk_call: direct_,
        // callModel from ActivityTaskScheduled to ActivityTaskCompleted (server event times).
        call_model_activity: activity,
        // Client start → result: routing activity + callModel + workflow tasks.
        generate_workflow: workflow,
        fake_server_time_per_call: summary(providerTimes),
        activity_ratio_p50: ratio(activity.p50_ms, direct_.p50_ms),
        activity_ratio_p99: ratio(activity.p99_ms, direct_.p99_ms),
        activity_added_p50_ms: Number((activity.p50_ms - direct_.p50_ms).toFixed(2)),
        workflow_ratio_p50: ratio(workflow.p50_ms, direct_.p50_ms),
        workflow_ratio_p99: ratio(workflow.p99_ms, direct_.p99_ms),
      });
    }
  } finally {
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await dependencies.store.close();
    await env.teardown();
    await openai.close();
    await anthropic.close();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench:models failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
