import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCostRecorder, type CostRecord } from '../../activities/models/cost-recorder';
import { answerResultSchema, type AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { createLlmWorker } from '../../workers/llm-worker';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { openTestDependencies, startTestServer, startWorker } from '../helpers/temporal-env';
import { runPool, sampleCorpus, selfCheck, waitFor } from './load-helpers';
import {
  groundedReply, modelStepBoundMs, pipelineAllowanceMs, stormCatalog, stormQuestion, stormTenant, withDeadline,
} from './provider-storm-fixtures';
import {
  readCostLines, startProviderWorkerChild, type ProviderWorkerChild,
} from './provider-worker-child';
import { reconcile, settleOpenWaits } from './server-record';

// A provider worker SIGKILLed under load. answerWorkflow runs on the orchestration worker in this
// process; the route is [gpt-mini (OpenAI protocol), claude-haiku (Anthropic protocol)], both on the
// fake wire server, which streams each reply slowly (a chunk every 40 ms) so calls are in flight.
// The OpenAI-protocol provider worker runs in a child process (llm-worker-process.ts) whose cost
// recorder appends each record to a file; the Anthropic one runs here with a memory recorder.
// Once several gpt-mini calls completed and several are mid-stream, the child is SIGKILLed and a
// new one started. Every answer must come back answered, each workflow id with one execution, and
// the cost records must count each succeeded model call exactly once: one record per (workflowId,
// activityId) with the attempt the result says succeeded, summing to the results' costs.
//
// A record the killed process wrote for an attempt whose completion never reached the server (killed
// between `costRecorder.record` and the completion report) is legitimate: that attempt is retried and
// records again. Such records are counted apart, and must come from the killed pid with a lower attempt.
//
// Self-checks (SLUICE_FAULTS_SELF_CHECK): `duplicate` makes the child write every record twice, and
// the duplicate check must name the call; `no-restart` starts no new provider worker, and the check
// that the replacement served calls must fail naming it.

const answers = 40;
const concurrency = 12;
const chunkDelayMs = 40;
const killAfterCompleted = 8;
const killWithInFlight = 4;
const prefix = 'pwk';

describe('a provider worker SIGKILLed under load', () => {
  let env: TestWorkflowEnvironment;
  let fake: FakeLlmServer;
  let stop: () => Promise<void> = async () => undefined;
  const children: ProviderWorkerChild[] = [];
  const costFile = join(mkdtempSync(join(tmpdir(), 'sluice-provider-kill-')), 'cost.jsonl');
  const anthropicRecords = new MemoryCostRecorder();

  beforeAll(async () => {
    fake = await FakeLlmServer.start({ reply: groundedReply, chunkDelayMs });
    env = await startTestServer();
  }, 180_000);

  afterAll(async () => {
    for (const child of children) await child.stop().catch(() => undefined);
    await stop();
    await env?.teardown();
    await fake?.close();
  }, 120_000);

  it(`completes ${answers} answers with each model call's cost recorded once`, async () => {
    const check = selfCheck();
    // stormCatalog reads only the two base URLs of its argument; the fake has no storm proxy in front.
    const catalog = stormCatalog(fake);
    const childOptions = {
      address: env.address, costFile, openAIBaseUrl: fake.openAIBaseUrl, anthropicBaseUrl: fake.anthropicBaseUrl,
      doubleRecord: check === 'duplicate',
    };
    const first = await startProviderWorkerChild(childOptions);
    children.push(first);

    const dependencies = { ...(await openTestDependencies()), modelCatalog: catalog };
    const workers: Worker[] = [
      await startWorker(env, dependencies),
      await createLlmWorker({
        connection: env.nativeConnection, namespace: env.namespace ?? 'default', catalog, provider: 'anthropic',
        environment: { STORM_OPENAI_KEY: 'sk-storm-openai', STORM_ANTHROPIC_KEY: 'sk-storm-anthropic' },
        costRecorder: anthropicRecords,
      }),
    ];
    const running = workers.map((worker) => worker.run());
    stop = async () => {
      workers.forEach((worker) => worker.shutdown());
      await Promise.allSettled(running);
      await dependencies.store.close();
    };
    const { client } = env;
    const ingested = (await client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest(stormTenant, 'corpus'),
      args: [{ tenant: stormTenant, ingestId: 'corpus', path: sampleCorpus }],
    })) as IngestResult;
    expect(ingested.ingestedDocuments).toBeGreaterThan(0);

    // An answer's bound from the catalog, plus the kill: a heartbeat timeout and the replacement's start.
    const answerDeadlineMs = modelStepBoundMs(catalog) + pipelineAllowanceMs + 90_000;
    const ids = Array.from({ length: answers }, (_, index) => workflowIds.answer(stormTenant, `${prefix}-${index}`));
    const waits: Array<Promise<AnswerResult>> = [];
    const started = performance.now();
    const pool = runPool(answers, concurrency, async (index) => {
      const handle = await client.workflow.start(workflowTypes.answer, {
        taskQueue: taskQueues.orchestration, workflowId: ids[index]!,
        args: [{ tenant: stormTenant, requestId: `${prefix}-${index}`, question: stormQuestion(index) }],
      });
      const wait = withDeadline(handle.result() as Promise<AnswerResult>, answerDeadlineMs, ids[index]!);
      waits.push(wait);
      return wait;
    });
    pool.catch(() => undefined);

    // The kill: once several gpt-mini calls finished and several are mid-stream.
    const openAIRequests = () => fake.requests.filter((request) => request.protocol === 'openai');
    const inFlight = () => openAIRequests().filter((request) => request.respondedAt === undefined).length;
    const completed = () => openAIRequests().filter((request) => request.respondedAt !== undefined).length;
    await waitFor(() => completed() >= killAfterCompleted && inFlight() >= killWithInFlight,
      'gpt-mini calls completed and in flight before the kill', 240_000,
      () => `completed ${completed()}, in flight ${inFlight()}`);
    const inFlightAtKill = inFlight();
    const completedAtKill = completed();
    const recordsBeforeKill = readCostLines(costFile).length;
    await first.kill();
    const killedAt = performance.now();
    let replacement: ProviderWorkerChild | undefined;
    if (check !== 'no-restart') {
      replacement = await startProviderWorkerChild(childOptions);
      children.push(replacement);
    }
    const replacementReadyMs = Math.round(performance.now() - killedAt);

    let results: AnswerResult[];
    try {
      results = await pool;
    } catch (error) {
      await settleOpenWaits(client, ids, waits);
      throw error;
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;

    // Every answer valid: answered with citations, by gpt-mini or (after the kill) claude-haiku.
    const parsed = results.map((result, index) => {
      const outcome = answerResultSchema.safeParse(result);
      if (!outcome.success) throw new Error(`${ids[index]}: result does not match the contract`);
      return outcome.data;
    });
    const byModel = new Map<string, number>();
    for (const result of parsed) byModel.set(result.model, (byModel.get(result.model) ?? 0) + 1);
    const invalid = parsed.flatMap((result, index) =>
      result.status === 'answered' && result.citations.length > 0 && result.model !== 'extractive'
        ? [] : [`${ids[index]}: ${result.status} by ${result.model}`]);
    expect(invalid).toEqual([]);
    // A fallback is acceptable only where gpt-mini's call was lost to the kill: it timed out (heartbeat,
    // the attempt on the killed worker) or no worker took it in time (the gap before the replacement).
    const unjustified = parsed.flatMap((result, index) => {
      if (result.model === 'gpt-mini') return [];
      const gpt = result.generation?.attempts.find((attempt) => attempt.modelId === 'gpt-mini');
      const lost = gpt?.outcome === 'queue_timeout' || gpt?.errorType === 'ProviderTimeout' ||
        /timeout|timed out/i.test(gpt?.message ?? '');
      return lost ? [] : [`${ids[index]}: fell back after ${JSON.stringify(gpt)}`];
    });
    expect(unjustified).toEqual([]);

    // One execution per workflow id, none still running.
    const record = await reconcile(client, `WorkflowType = '${workflowTypes.answer}'`, ids, 60_000);
    expect(record.duplicated).toEqual([]);
    expect(record.missing).toEqual([]);
    expect(record.running).toEqual([]);

    // The cost records: every line of the child processes' file plus the Anthropic worker's memory.
    const lines: Array<CostRecord & { pid?: number }> = [...readCostLines(costFile), ...anthropicRecords.records];
    const keyOf = (entry: CostRecord): string => `${entry.workflowId}/${entry.activityId}`;
    const perAttempt = new Map<string, number>();
    for (const line of lines) {
      const key = `${keyOf(line)}#${line.attempt}`;
      perAttempt.set(key, (perAttempt.get(key) ?? 0) + 1);
    }
    expect([...perAttempt].filter(([, count]) => count > 1).map(([key, count]) => `${key} recorded ${count} times`))
      .toEqual([]);
    const counted: CostRecord[] = [];
    const orphans: Array<CostRecord & { pid?: number }> = [];
    const problems: string[] = [];
    parsed.forEach((result, index) => {
      const workflowId = ids[index]!;
      const succeeded = result.generation?.attempts.find((attempt) => attempt.outcome === 'succeeded');
      const ofRun = lines.filter((line) => line.workflowId === workflowId);
      const winning = ofRun.filter((line) =>
        line.modelId === succeeded?.modelId && line.attempt === succeeded.attempts);
      if (winning.length !== 1) {
        problems.push(`${workflowId}: ${winning.length} records of its succeeded ${succeeded?.modelId} call ` +
          `(attempt ${succeeded?.attempts})`);
        return;
      }
      counted.push(winning[0]!);
      for (const line of ofRun) if (line !== winning[0]) orphans.push(line);
    });
    expect(problems).toEqual([]);
    // A record besides the counted one: only a killed attempt of the same call, written by the killed pid.
    const countedKeys = new Map(counted.map((entry) => [keyOf(entry), entry]));
    const badOrphans = orphans.filter((line) => {
      const winner = countedKeys.get(keyOf(line));
      return !winner || line.pid !== first.pid || line.attempt >= winner.attempt;
    }).map((line) => `${keyOf(line)} attempt ${line.attempt} (pid ${line.pid ?? 'in-process'})`);
    expect(badOrphans).toEqual([]);
    const recordedCost = counted.reduce((sum, entry) => sum + entry.costMicroUsd, 0);
    const resultCost = parsed.reduce((sum, result) => sum + (result.generation?.costMicroUsd ?? 0), 0);
    expect(recordedCost).toBe(resultCost);

    // The kill was real and the replacement served: some gpt-mini call was cut and retried or fell back,
    // and some gpt-mini call after the kill was recorded by the new process.
    const costLines = readCostLines(costFile);
    const replacementRecords = costLines.filter((line) => line.pid === replacement?.pid).length;
    const killedRecords = costLines.filter((line) => line.pid === first.pid).length;
    const retried = parsed.filter((result) =>
      result.model === 'gpt-mini' && (result.generation?.attempts.at(-1)?.attempts ?? 1) > 1).length;
    const fellBack = parsed.filter((result) => result.model !== 'gpt-mini').length;
    const share = (model: string): string => `${Math.round(((byModel.get(model) ?? 0) / answers) * 100)}%`;
    process.stdout.write(
      `provider worker kill: ${answers} answers in ${seconds} s; killed pid ${first.pid} with ${inFlightAtKill} ` +
      `gpt-mini calls in flight (${completedAtKill} completed, ${recordsBeforeKill} recorded); replacement ready in ` +
      `${replacementReadyMs} ms; gpt-mini ${share('gpt-mini')} (${retried} on a retry), claude-haiku ` +
      `${share('claude-haiku')}, extractive ${share('extractive')}; records: ${counted.length} counted ` +
      `(${killedRecords} by the killed pid, ${replacementRecords} by the replacement, ` +
      `${anthropicRecords.records.length} anthropic), ${orphans.length} of killed attempts; ` +
      `cost ${recordedCost} µUSD\n`,
    );
    if (retried + fellBack === 0) throw new Error(`the kill interrupted no model call (${inFlightAtKill} in flight)`);
    if (replacementRecords === 0) {
      throw new Error(`the replacement provider worker (${replacement ? `pid ${replacement.pid}` : 'not started'}) ` +
        'recorded no model calls after the kill');
    }
  }, 600_000);
});
