// What durability costs: answerWorkflow end to end on the real Temporal dev server versus the
// same activities called directly in-process in the same order, first on a dev server with the
// history queues' poll limits at their defaults (the baseline), then on Sluice's dev server, beside an
// empty workflow of the answer's shape (its floor: bench/pipeline/answer-shape/, latency and throughput at
// concurrency 32); then the answer's throughput at a few concurrencies.
// Usage: npm run bench:pipeline -- [iterations] [--recent-vectors]   (prints JSON lines; the npm script preloads
// workers/workflow-thread-guard.cjs: SLUICE_WORKFLOW_STALL_GUARD=call measures the SDK's per-call guard instead,
// and SLUICE_WORKFLOW_STACK_TRACES=off the workflow thread without the SDK's stack-trace promise hook)
// The bench asks four questions over and over. The embedder keeps recently embedded questions' vectors
// (SLUICE_RECENT_VECTORS), so repeats would skip the model and flatter every figure: it is off here (each
// question embedded as if new, as in earlier runs) unless `--recent-vectors` or SLUICE_RECENT_VECTORS says.
import { MockActivityEnvironment } from '@temporalio/testing';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { AnswerRequest } from '../../contracts/answer';
import { loadRetrievalConfig } from '../../contracts/retrieval';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { buildWorkflowBundle } from '../../test/helpers/workflow-bundle';
import { describeWorkflowStallGuard } from '../../workers/workflow-stall-guard';
import { withCorpusStack, type BenchServer, type StackActivities as Activities } from '../bench-server';
import { evidenceFromCitations, numberedPassages } from '../../contracts/citations';
import { promptMessages } from '../../workflows/pinned-plan';
import { summarise, timeMs, type Summary } from '../stats';
import * as shapeActivities from './answer-shape/activities';

const iterations = Number(process.argv[2] !== undefined && !process.argv[2].startsWith('--') ? process.argv[2] : 200);
if (!process.argv.includes('--recent-vectors')) process.env.SLUICE_RECENT_VECTORS ??= '0';
const questions = [
  'What happens when a worker process crashes in the middle of an answer?',
  'How are rate limits and server errors retried?',
  'Which vector store does production use?',
  'What does the extractive model do when every provider is down?',
];

const request = (index: number): AnswerRequest => ({
  tenant: 'bench', requestId: `r${index}`, question: questions[index % questions.length]!, feature: 'qa', topK: 4,
  contextTokenBudget: 2_000,
});

const durable = (server: BenchServer, index: number) => server.client.workflow.execute(workflowTypes.answer, {
  taskQueue: taskQueues.orchestration, workflowId: `bench-answer-${index}-${Date.now()}`, args: [request(index)],
});

/**
 * Eager workflow start: a client on the worker's own (native) connection asks the server to hand the
 * first workflow task back in the start response, to the worker in this process, instead of through the
 * task queue. Counts the starts the server did start eagerly.
 */
function eagerStarts(server: BenchServer) {
  const client = new Client({ connection: server.nativeConnection, namespace: server.namespace });
  const started = { eagerly: 0, all: 0 };
  const run = async (index: number) => {
    const handle = await client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: `bench-eager-${index}-${Date.now()}`, args: [request(index)],
      requestEagerStart: true,
    });
    started.all += 1;
    if (handle.eagerlyStarted) started.eagerly += 1;
    return handle.result();
  };
  return { run, started };
}

/**
 * The answer pipeline's steps in the workflow's order, without Temporal in between (offline catalog:
 * extractive model, one judgement). MockActivityEnvironment gives each call the activity context it expects.
 */
function directSteps(activities: Activities): (index: number) => Promise<void> {
  const context = new MockActivityEnvironment();
  const call = <Input, Output>(activity: (input: Input) => Promise<Output>, input: Input): Promise<Output> =>
    context.run(activity, input) as Promise<Output>;
  return async (index) => {
    const { tenant, feature, requestId, question, topK, contextTokenBudget } = request(index);
    const plan = await call(activities.resolveAnswerPlan, { tenant, feature });
    const gateSet = plan.gatePolicy.gates;
    const input = await call(activities.runInputGates, { tenant, feature, requestId, text: question, gateSet });
    // The route's rerank rides along, as in the workflow: the same work on both sides.
    const packed = await call(activities.retrieveContext, {
      tenant, query: input.text, topK, tokenBudget: contextTokenBudget, ...(plan.rerank ? { rerank: plan.rerank } : {}),
    });
    const passages = packed.passages;
    await call(activities.scanRetrievedPassages, {
      tenant, feature, passages: passages.map(({ id, text }) => ({ id, text })), gateSet,
    });
    const messages = promptMessages(plan.prompt, { question: input.text, passages: numberedPassages(passages) });
    await call(activities.planModelRoute, { messages, intent: input.intent });
    const answer = await call(activities.generateAnswer, { question: input.text, passages });
    await call(activities.judgeDraft, {
      tenant, feature, question: input.text, draft: answer.text, citations: answer.citations, passages, rubric: [],
    });
    await call(activities.runOutputGates, {
      tenant, feature, text: answer.text, evidence: evidenceFromCitations(answer.citations, passages), gateSet,
    });
  };
}

async function latency(server: BenchServer, activities: Activities, mode: string): Promise<Summary> {
  const direct = directSteps(activities);
  const eager = eagerStarts(server);
  for (let index = 0; index < 20; index++) {
    await Promise.all([direct(index), durable(server, index), eager.run(index)]); // warm-up
  }
  const directMs: number[] = [];
  const durableMs: number[] = [];
  const eagerMs: number[] = [];
  for (let index = 0; index < iterations; index++) {
    directMs.push(await timeMs(() => direct(index)));
    durableMs.push(await timeMs(() => durable(server, index)));
    eagerMs.push(await timeMs(() => eager.run(index)));
  }
  const eagerStats = summarise(eagerMs);
  const directStats = summarise(directMs);
  const durableStats = summarise(durableMs);
  console.log(JSON.stringify({ bench: 'answer-latency', mode: 'direct-activities', server: mode, ...directStats }));
  console.log(JSON.stringify({ bench: 'answer-latency', mode: 'answerWorkflow', server: mode, ...durableStats }));
  console.log(JSON.stringify({
    bench: 'answer-latency', mode: 'answerWorkflow-eager-start', server: mode, ...eagerStats,
    startedEagerly: `${eager.started.eagerly}/${eager.started.all}`,
    vsPlainStartP50: +(eagerStats.p50Ms / durableStats.p50Ms).toFixed(2),
  }));
  console.log(JSON.stringify({
    bench: 'answer-latency', mode: 'ratio', server: mode, p50: +(durableStats.p50Ms / directStats.p50Ms).toFixed(2),
    p99: +(durableStats.p99Ms / directStats.p99Ms).toFixed(2),
    addedP50Ms: +(durableStats.p50Ms - directStats.p50Ms).toFixed(2),
  }));
  return durableStats;
}

/**
 * The empty workflow of the answer's shape on the same server, on a worker of its own, each run
 * after one answer so both meet the same conditions: what Temporal costs for the answer's commands.
 */
async function shapeFloor(server: BenchServer, answer: Summary): Promise<void> {
  const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./answer-shape/workflow'), logger: silent,
  });
  const worker = await Worker.create({
    connection: server.nativeConnection, namespace: server.namespace, taskQueue: 'bench-answer-shape',
    workflowBundle, activities: shapeActivities,
  });
  const shapeMs: number[] = [];
  let shapePerSecond = 0;
  await worker.runUntil(async () => {
    const shape = (index: number) => server.client.workflow.execute('answerShapeWorkflow', {
      taskQueue: 'bench-answer-shape', workflowId: `bench-shape-${index}-${Date.now()}`,
    });
    for (let index = 0; index < 20; index++) await shape(index); // warm-up
    for (let index = 0; index < iterations; index++) {
      await durable(server, 20_000 + index);
      shapeMs.push(await timeMs(() => shape(index)));
    }
    // The most answers per second this shape allows here: Temporal's own ceiling for the answer's commands.
    shapePerSecond = await throughput(32, 256, (index) => shape(10_000 + index));
  });
  const floor = summarise(shapeMs);
  console.log(JSON.stringify({ bench: 'answer-latency', mode: 'empty-workflow-same-shape', server: 'sluice-dev-server',
    ...floor }));
  console.log(JSON.stringify({
    bench: 'answer-latency', mode: 'answer-over-floor', server: 'sluice-dev-server',
    note: 'answerWorkflow p50 from the latency run above', addedP50Ms: +(answer.p50Ms - floor.p50Ms).toFixed(2),
  }));
  console.log(JSON.stringify({
    bench: 'answer-throughput', mode: 'empty-workflow-same-shape', concurrency: 32, workflows: 256,
    perSecond: shapePerSecond,
  }));
}

/** Answers per second when `concurrency` callers run `total` answers between them. */
async function throughput(concurrency: number, total: number, run: (index: number) => Promise<unknown>) {
  let next = 0;
  const elapsedMs = await timeMs(() => Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await run(next++);
  })));
  return +((total * 1000) / elapsedMs).toFixed(1);
}

async function main(): Promise<void> {
  // Which stall guard the workflow thread runs (workers/workflow-thread-guard.cjs, preloaded by `npm run bench:pipeline`).
  const { workflowStallGuard, workflowStackTraces } = describeWorkflowStallGuard(process.env);
  console.log(JSON.stringify({
    bench: 'answer-latency', mode: 'settings', workflowStallGuard, workflowStackTraces,
    recentVectors: loadRetrievalConfig(process.env).recentVectors,
  }));
  await buildWorkflowBundle();
  // Baseline: the dev server with the history queues' per-shard poll limits at their defaults.
  const before = await withCorpusStack({ defaultQueueLimits: true }, (server, activities) =>
    latency(server, activities, 'default-queue-limits'));
  await withCorpusStack({}, async (server, activities) => {
    const after = await latency(server, activities, 'sluice-dev-server');
    console.log(JSON.stringify({
      bench: 'answer-latency', mode: 'queue-limits-lifted-vs-default', p50: +(after.p50Ms / before.p50Ms).toFixed(2),
      p99: +(after.p99Ms / before.p99Ms).toFixed(2),
    }));
    await shapeFloor(server, after);
    for (const concurrency of [1, 8, 32]) {
      const total = Math.max(concurrency * 8, 64);
      const perSecond = await throughput(concurrency, total, (index) => durable(server, 10_000 + index));
      console.log(JSON.stringify({
        bench: 'answer-throughput', concurrency, workflows: total, perSecond,
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      }));
    }
    // The same with eager starts: the server does less matching work per answer.
    const eager = eagerStarts(server);
    for (const concurrency of [8, 32]) {
      const total = concurrency * 8;
      const perSecond = await throughput(concurrency, total, (index) => eager.run(20_000 + index));
      console.log(JSON.stringify({
        bench: 'answer-throughput', start: 'eager', concurrency, workflows: total, perSecond,
        startedEagerly: `${eager.started.eagerly}/${eager.started.all}`,
      }));
    }
  });
}

void main();
