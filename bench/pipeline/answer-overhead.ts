// What durability costs: answerWorkflow end to end on the real Temporal dev server versus the
// same activities called directly in-process in the same order, plus throughput at a few concurrencies.
// Usage: npx tsx bench/pipeline/answer-overhead.ts [iterations]   (prints JSON lines)
import { MockActivityEnvironment } from '@temporalio/testing';
import { join } from 'node:path';
import { createActivities } from '../../activities';
import type { AnswerRequest } from '../../contracts/answer';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { buildWorkflowBundle } from '../../test/helpers/workflow-bundle';
import { openTestDependencies, startWorker } from '../../test/helpers/temporal-env';
import { startBenchServer } from '../bench-server';
import { evidenceFromCitations } from '../../workflows/gate-steps';
import { groundedMessages } from '../../workflows/generate-with-fallback';
import { summarise, timeMs } from '../stats';

const iterations = Number(process.argv[2] ?? 200);
const questions = [
  'What happens when a worker process crashes in the middle of an answer?',
  'How are rate limits and server errors retried?',
  'Which vector store does production use?',
  'What does the extractive model do when every provider is down?',
];

async function main(): Promise<void> {
  await buildWorkflowBundle();
  const env = await startBenchServer();
  const dependencies = await openTestDependencies();
  const worker = await startWorker(env, dependencies);
  const activities = createActivities(dependencies);
  await worker.runUntil(async () => {
    await env.client.workflow.execute(workflowTypes.ingest, { taskQueue: taskQueues.orchestration, workflowId: 'bench-ingest', args: [{ tenant: 'bench', ingestId: 'corpus', path: join(__dirname, '..', '..', 'examples', 'corpus') }] });
    const request = (index: number): AnswerRequest => ({ tenant: 'bench', requestId: `r${index}`, question: questions[index % questions.length]!, feature: 'qa', topK: 4, contextTokenBudget: 2_000 });

    // The layered pipeline's steps, without Temporal in between (offline catalog: extractive model).
    // MockActivityEnvironment gives each call the activity context (logger) it expects.
    const context = new MockActivityEnvironment();
    const call = <Input, Output>(activity: (input: Input) => Promise<Output>, input: Input): Promise<Output> => context.run(activity, input) as Promise<Output>;
    const direct = async (index: number) => {
      const { tenant, feature, requestId, question, topK, contextTokenBudget } = request(index);
      const input = await call(activities.runInputGates, { tenant, feature, requestId, text: question });
      const packed = await call(activities.retrieveContext, { tenant, query: input.text, topK, tokenBudget: contextTokenBudget });
      await call(activities.scanRetrievedPassages, { tenant, feature, passages: packed.passages.map(({ id, text }) => ({ id, text })) });
      await call(activities.planModelRoute, { messages: groundedMessages(input.text, packed.passages), intent: input.intent });
      const answer = await call(activities.generateAnswer, { question: input.text, passages: packed.passages });
      await call(activities.runOutputGates, { tenant, feature, text: answer.text, evidence: evidenceFromCitations(answer.citations, packed.passages) });
    };
    const durable = (index: number) => env.client.workflow.execute(workflowTypes.answer, { taskQueue: taskQueues.orchestration, workflowId: `bench-answer-${index}-${Date.now()}`, args: [request(index)] });

    for (let index = 0; index < 20; index++) await Promise.all([direct(index), durable(index)]); // warm-up
    const directMs: number[] = [];
    const durableMs: number[] = [];
    for (let index = 0; index < iterations; index++) {
      directMs.push(await timeMs(() => direct(index)));
      durableMs.push(await timeMs(() => durable(index)));
    }
    const directStats = summarise(directMs);
    const durableStats = summarise(durableMs);
    console.log(JSON.stringify({ bench: 'answer-latency', mode: 'direct-activities', ...directStats }));
    console.log(JSON.stringify({ bench: 'answer-latency', mode: 'answerWorkflow', ...durableStats }));
    console.log(JSON.stringify({ bench: 'answer-latency', mode: 'ratio', p50: +(durableStats.p50Ms / directStats.p50Ms).toFixed(2), p99: +(durableStats.p99Ms / directStats.p99Ms).toFixed(2), addedP50Ms: +(durableStats.p50Ms - directStats.p50Ms).toFixed(2) }));

    for (const concurrency of [1, 8, 32]) {
      const total = Math.max(concurrency * 8, 64);
      let next = 0;
      const elapsedMs = await timeMs(() => Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < total) await durable(10_000 + next++);
      })));
      console.log(JSON.stringify({ bench: 'answer-throughput', concurrency, workflows: total, perSecond: +((total * 1000) / elapsedMs).toFixed(1), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) }));
    }
  });
  await dependencies.store.close();
  await env.teardown();
}

void main();
