// Tokens/s through Sluice's GPU path — generateWorkflow on the orchestration queue, callModel on
// `sluice-gpu-<model>` polled by the GPU worker (concurrency = the server's batch capacity) —
// beside direct calls from the same process with the same SDK, against one OpenAI-compatible
// server. Runs on the GPU host (see run-worker-path-on-device.sh); prints JSON lines.
//   node worker-path.js --address 127.0.0.1:7233 --server http://127.0.0.1:8000 --model /tmp/model
//        --workflow-bundle workflow-bundle.js [--concurrency 1,8,32] [--requests-per-client 4] [--max-tokens 128]
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import OpenAI from 'openai';
import { parseArgs } from 'node:util';
import { createModelActivities } from '../../activities/models/activities';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { GenerateResult } from '../../contracts/models';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { createGpuWorker } from '../../workers/llm-worker';

const { values } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1:7233' }, server: { type: 'string' }, model: { type: 'string' },
    'workflow-bundle': { type: 'string' }, concurrency: { type: 'string', default: '1,8,32' },
    'requests-per-client': { type: 'string', default: '4' }, 'max-tokens': { type: 'string', default: '128' }, 'batch-capacity': { type: 'string', default: '32' },
  },
});
const concurrencies = values.concurrency!.split(',').map(Number);
const perClient = Number(values['requests-per-client']);
const maxTokens = Number(values['max-tokens']);
const prompt = (index: number) => [{ role: 'user' as const, content: `Summarise request ${index} about durable workflows and retries.` }];

/** Closed loop: `concurrency` clients each run `perClient` calls back to back. */
async function closedLoop(concurrency: number, call: (index: number) => Promise<number>): Promise<{ tokens: number; wallS: number; latencies: number[] }> {
  const latencies: number[] = [];
  let tokens = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
    for (let request = 0; request < perClient; request++) {
      const began = performance.now();
      const produced = await call(client * perClient + request);
      tokens += produced; // after the await: `tokens += await …` would read tokens before it
      latencies.push((performance.now() - began) / 1000);
    }
  }));
  return { tokens, wallS: (performance.now() - start) / 1000, latencies };
}

function report(mode: string, concurrency: number, run: { tokens: number; wallS: number; latencies: number[] }) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
  console.log(JSON.stringify({
    bench: 'gpu-path', mode, concurrency, requests: run.latencies.length, completionTokens: run.tokens, wallS: +run.wallS.toFixed(2),
    tokensPerSecond: +(run.tokens / run.wallS).toFixed(1), latencyP50S: +at(0.5).toFixed(3), latencyP99S: +at(0.99).toFixed(3),
  }));
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const batchCapacity = Number(values['batch-capacity']);
  const catalog = parseModelCatalog({
    providers: { 'gpu-local': { kind: 'openai-compatible', baseUrl: `${values.server}/v1`, selfHosted: true, batchCapacity, activitiesPerSecond: 1000, maxConcurrent: batchCapacity, requestTimeoutMs: 600_000, callTimeoutMs: 600_000, heartbeatTimeoutMs: 60_000 } },
    models: [{ id: 'gpu-model', provider: 'gpu-local', providerModel: values.model!, tier: 'small', contextWindow: 4_096 }],
    routes: { default: { chain: ['gpu-model'] } },
  });
  const connection = await NativeConnection.connect({ address: values.address! });
  const orchestration = await Worker.create({
    connection, taskQueue: taskQueues.orchestration, workflowBundle: { codePath: values['workflow-bundle']! },
    activities: createModelActivities({ modelCatalog: catalog }), maxConcurrentWorkflowTaskExecutions: 64,
    // Workflows run in the main thread (the SDK's debug mode): the single bundled file has no
    // separate worker-thread script to start.
    debugMode: true,
  });
  const gpu = await createGpuWorker({ connection, namespace: 'default', catalog, modelId: 'gpu-model', batchCapacity });
  const clientConnection = await Connection.connect({ address: values.address! });
  // The GPU host runs Temporal's test server, which starts with no custom search attributes.
  const indexed = temporal.api.enums.v1.IndexedValueType;
  const types = { KEYWORD: indexed.INDEXED_VALUE_TYPE_KEYWORD, INT: indexed.INDEXED_VALUE_TYPE_INT } as const;
  await clientConnection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.values(sluiceSearchAttributes).map(({ name, type }) => [name, types[type]])),
  }).catch(() => undefined); // already registered
  const client = new Client({ connection: clientConnection });
  const sdk = new OpenAI({ baseURL: `${values.server}/v1`, apiKey: 'unused' });
  let sequence = 0;

  const direct = async (index: number) => {
    const stream = await sdk.chat.completions.create({ model: values.model!, messages: prompt(index), max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } });
    let tokens = 0;
    for await (const chunk of stream) tokens = chunk.usage?.completion_tokens ?? tokens;
    return tokens;
  };
  const durable = async (index: number) => {
    const requestId = `gpu-${process.pid}-${++sequence}`;
    const result = (await client.workflow.execute(workflowTypes.generate, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.generate('bench', requestId),
      args: [{ tenant: 'bench', requestId, messages: prompt(index), maxOutputTokens: maxTokens, stream: true }],
    })) as GenerateResult;
    if (result.model !== 'gpu-model') throw new Error(`answered by ${result.model}: ${JSON.stringify(result.attempts)}`);
    return result.usage.outputTokens;
  };

  const gpuRunning = gpu.run();
  try {
    await orchestration.runUntil(async () => {
      await direct(0);
      await durable(0); // warm-up
      for (const concurrency of concurrencies) {
        report('direct-sdk', concurrency, await closedLoop(concurrency, direct));
        report('generateWorkflow', concurrency, await closedLoop(concurrency, durable));
      }
    });
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    gpu.shutdown();
    await gpuRunning;
  }
  process.exit(process.exitCode ?? 0);
}

void main();
