import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { join } from 'node:path';
import type { ActivityDependencies } from '../../activities';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { taskQueues } from '../../contracts/task-queues';
import { messageNames, workflowTypes } from '../../contracts/workflow-types';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { openTestDependencies, startLlmWorker, startTestServer, startWorker } from '../helpers/temporal-env';
import { waitForPendingReview } from './review-fixtures';

// The layered answer pipeline with a real provider SDK in the loop: the OpenAI SDK talks to a
// fake server that answers from the passages it was given, or fails on command.

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const apiKey = 'sk-test-pipeline';

/** Answers like a grounded model: quotes the first sentence of passage [1], with its marker. */
function groundedReply(prefix: string) {
  return (_model: string, userMessage: string): string => {
    const firstPassage = /\[1\] \([^)]*\) ([^\n]*)/.exec(userMessage)?.[1] ?? '';
    const sentence = firstPassage.split(/(?<=\.)\s/)[0] ?? '';
    return `${prefix}${sentence} [1]`;
  };
}

describe('answerWorkflow: gates, retrieval and a routed model call', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let openai: FakeLlmServer;
  const workers: Worker[] = [];
  const running: Promise<void>[] = [];
  const seenByModel: string[] = [];
  let sequence = 0;

  const ask = async (question: string): Promise<{ result: AnswerResult; workflowId: string }> => {
    const requestId = `q${++sequence}`;
    const workflowId = `answer-acme-${requestId}`;
    const result = (await env.client.workflow.execute(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId, args: [{ tenant: 'acme', requestId, question }],
    })) as AnswerResult;
    return { result, workflowId };
  };

  beforeAll(async () => {
    openai = await FakeLlmServer.start({ apiKey });
    const retry = { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 2 };
    const catalog = parseModelCatalog({
      providers: {
        openai: {
          kind: 'openai', baseUrl: openai.openAIBaseUrl, apiKeyEnv: 'PIPELINE_OPENAI_KEY',
          requestTimeoutMs: 2_000, callTimeoutMs: 5_000, heartbeatTimeoutMs: 3_000, retry,
        },
      },
      models: [
        {
          id: 'gpt-mini', provider: 'openai', providerModel: 'gpt-4o-mini', tier: 'small', contextWindow: 128_000,
          inputPricePerMillionUsd: 0.15, outputPricePerMillionUsd: 0.6, tokenizer: 'o200k_base',
        },
        { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000 },
      ],
      // One model call per answer here: the judge-and-revise loop has its own tests (answer-refinement.test.ts).
      routes: { default: { chain: ['gpt-mini'], refine: { enabled: false } } },
    });
    env = await startTestServer();
    dependencies = { ...(await openTestDependencies()), modelCatalog: catalog };
    workers.push(
      await startWorker(env, dependencies),
      await startLlmWorker(env, { catalog, provider: 'openai', environment: { PIPELINE_OPENAI_KEY: apiKey } }),
    );
    running.push(...workers.map((worker) => worker.run()));
    const ingested = (await env.client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: 'ingest-acme-pipeline',
      args: [{ tenant: 'acme', ingestId: 'pipeline', path: corpus }],
    })) as IngestResult;
    expect(ingested.ingestedDocuments).toBe(5);
  });

  beforeEach(() => {
    openai.reset();
    seenByModel.length = 0;
  });

  afterAll(async () => {
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await dependencies?.store.close();
    await openai?.close();
    await env?.teardown();
  });

  it('answers with the routed model, citing the passage it quoted, and records usage and cost', async () => {
    openai.setReply(groundedReply(''));
    const { result, workflowId } = await ask('What happens when a worker process crashes in the middle of an answer?');
    expect(result).toMatchObject({ status: 'answered', model: 'gpt-mini', degraded: false });
    expect(result.citations[0]).toMatchObject({ marker: 1, source: 'durability.md' });
    expect(result.generation?.usage.outputTokens).toBeGreaterThan(0);
    expect(result.generation?.costMicroUsd).toBeGreaterThan(0);
    const attributes = (await env.client.workflow.getHandle(workflowId).describe()).searchAttributes;
    expect(attributes[sluiceSearchAttributes.model.name]).toEqual(['gpt-mini']);
    expect(attributes[sluiceSearchAttributes.costMicroUsd.name]).toEqual([result.generation!.costMicroUsd]);
  });

  it('never shows the model the user\'s email, and gives it back to the user in the answer', async () => {
    openai.setReply((model, userMessage) => {
      seenByModel.push(userMessage);
      const placeholder = /\[EMAIL_\d+\]/.exec(userMessage)?.[0] ?? 'nobody';
      return groundedReply(`For ${placeholder}: `)(model, userMessage);
    });
    const { result } = await ask('I am jane.doe@example.com. What happens when a worker process crashes?');
    expect(seenByModel.join('\n')).not.toContain('jane.doe@example.com');
    expect(seenByModel.join('\n')).toContain('[EMAIL_1]');
    expect(result.status).toBe('answered');
    expect(result.answer).toContain('For jane.doe@example.com:');
    expect(result.gateDecisions.some((decision) => decision.action === 'redact')).toBe(true);
  });

  it('redacts PII the model leaks that the user never gave, before a reviewer or the user sees it', async () => {
    openai.setReply((model, userMessage) =>
      `${groundedReply('')(model, userMessage)} Write to ops-lead@internal.example for details.`);
    // The unsupported second sentence also sends the answer to review: the reviewer sees the redacted draft.
    const handle = await env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: 'answer-acme-leak',
      args: [{ tenant: 'acme', requestId: 'leak', question: 'What happens when a worker process crashes?' }],
    });
    const view = await waitForPendingReview(handle);
    expect(view.draft).not.toContain('ops-lead@internal.example');
    expect(view.gateDecisions.find((decision) => decision.gate === 'pii-leak')?.action).not.toBe('allow');
    await handle.executeUpdate(messageNames.reviewDecisionUpdate, {
      args: [{ decision: 'approve', reviewer: 'alice' }],
    });
    const result = (await handle.result()) as AnswerResult;
    expect(result.status).toBe('answered');
    expect(result.answer).not.toContain('ops-lead@internal.example');
    expect(result.gateDecisions.find((decision) => decision.gate === 'pii-leak')?.action).not.toBe('allow');
  });

  it('falls back to the extractive model, marked degraded, when the provider is down', async () => {
    openai.failAlways({ kind: 'server-error', status: 503 });
    const { result, workflowId } = await ask('What happens when a worker process crashes in the middle of an answer?');
    expect(result).toMatchObject({ status: 'degraded', model: 'extractive', degraded: true });
    expect(result.citations[0]?.source).toBe('durability.md');
    expect(result.generation?.attempts[0]).toMatchObject({ modelId: 'gpt-mini', outcome: 'failed' });
    const attributes = (await env.client.workflow.getHandle(workflowId).describe()).searchAttributes;
    expect(attributes[sluiceSearchAttributes.status.name]).toEqual(['degraded']);
  });

  it('does not call the model when nothing relevant is ingested for the tenant', async () => {
    const result = (await env.client.workflow.execute(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: 'answer-empty-q1',
      args: [{ tenant: 'empty', requestId: 'q1', question: 'What happens when a worker crashes?' }],
    })) as AnswerResult;
    expect(result.status).toBe('no_context');
    expect(openai.requests).toHaveLength(0);
  });
});
