import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityDependencies } from '../../activities';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { GenerateResult } from '../../contracts/models';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startTracing, tracingPlugins, type Tracing } from '../../client/tracing/tracing';
import { createLlmWorker } from '../../workers/llm-worker';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { openTestDependencies, startTestServer } from '../helpers/temporal-env';

// With tracing on, one request is one trace: the client's start, the workflow run, the model call
// scheduled by the workflow, the activity run on the provider queue and the provider's HTTP call
// inside it, each the child of the one before. Spans carry ids and names, never the question.

const question = 'Which secret-word zebracorn opens the vault?';

describe('OpenTelemetry tracing through Temporal interceptors', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let fake: FakeLlmServer;
  let tracing: Tracing;
  const exporter = new InMemorySpanExporter();
  const workers: Worker[] = [];
  const running: Promise<void>[] = [];

  beforeAll(async () => {
    fake = await FakeLlmServer.start();
    const catalog = parseModelCatalog({
      providers: { openai: { kind: 'openai', apiKeyEnv: 'TRACE_KEY', baseUrl: fake.openAIBaseUrl } },
      models: [{ id: 'gpt-trace', provider: 'openai', tier: 'small', contextWindow: 16_000 }],
      routes: { default: { chain: ['gpt-trace'] } },
    });
    tracing = startTracing('test', {}, exporter)!;
    env = await startTestServer();
    dependencies = { ...(await openTestDependencies()), modelCatalog: catalog };
    const connection = env.nativeConnection as NativeConnection;
    const plugins = tracingPlugins(tracing);
    workers.push(
      // Bundled from source, so the plugin's workflow interceptors are in the bundle.
      await createOrchestrationWorker({ connection, namespace: 'default', dependencies, plugins }),
      await createLlmWorker({
        connection, namespace: 'default', catalog, provider: 'openai', environment: { TRACE_KEY: 'sk-t' }, plugins,
      }),
    );
    running.push(...workers.map((worker) => worker.run()));
  });

  afterAll(async () => {
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await tracing?.shutdown();
    await dependencies?.store.close();
    await env?.teardown();
    await fake?.close();
  });

  it('links client, workflow, activity and provider call in one trace', async () => {
    const client = new Client({ connection: env.connection, plugins: tracingPlugins(tracing) });
    const result = await client.workflow.execute(workflowTypes.generate, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.generate('trace', 'r1'),
      args: [{
        tenant: 'trace', requestId: 'r1', feature: 'support', promptVersion: 'v1',
        messages: [{ role: 'user', content: question }], grounding: { question, passages: [] },
      }],
    }) as GenerateResult;
    expect(result.model).toBe('gpt-trace');
    await tracing.flush();

    const spans = exporter.getFinishedSpans();
    const named = (name: string): ReadableSpan => {
      const span = spans.find((candidate) => candidate.name === name);
      if (!span) throw new Error(`no span ${name} among ${spans.map((candidate) => candidate.name).join(', ')}`);
      return span;
    };
    const chain = [
      named('StartWorkflow:generateWorkflow'), named('RunWorkflow:generateWorkflow'), named('StartActivity:callModel'),
      named('RunActivity:callModel'), named('sluice.provider.call'),
    ];
    const traceId = chain[0]!.spanContext().traceId;
    for (const span of chain) expect(span.spanContext().traceId).toBe(traceId);
    for (let index = 1; index < chain.length; index++) {
      expect(chain[index]!.parentSpanId).toBe(chain[index - 1]!.spanContext().spanId);
    }
    expect(chain[4]!.attributes).toMatchObject({ 'sluice.provider': 'openai', 'sluice.model': 'gpt-trace' });
    expect(JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]))).not.toContain('zebracorn');
  });
});
