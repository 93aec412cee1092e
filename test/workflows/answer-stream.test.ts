import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { ActivityDependencies } from '../../activities';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import { setBudget, showBudget } from '../../client/budget-client';
import { addApiKey } from '../../client/gateway-keys';
import { SluiceClient } from '../../client/sluice-client';
import type { AnswerResult } from '../../contracts/answer';
import { GateConfig } from '../../contracts/gate-config';
import type { IngestResult } from '../../contracts/ingest';
import { answerStreamEventSchema, type AnswerStreamEvent } from '../../contracts/stream';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import type { GatewayClient } from '../../gateway/gateway-client';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { openEventStream, parseEvents } from '../helpers/sse-client';
import {
  openTestDependencies, plainClientOptions, startLlmWorker, startTestServer, startWorker,
} from '../helpers/temporal-env';

// Token streaming end to end: the real OpenAI SDK streams from a fake provider chunk by chunk, the
// provider worker heartbeats the stream window's gated prefix, and `askStream` (and the gateway's
// server-sent events) read it by describing the run. The email and the card in the reply are split
// across chunks; no text a caller receives may hold them, and no token may reach history.

const email = 'maria.lopez@example.com';
const card = '4111 1111 1111 1111';
const policy = [
  '# Refunds',
  '',
  'Refunds are paid to the original payment method within thirty days of delivery. Write to the billing team',
  'about the card if the refund is late. The billing team answers every message within two working days, and a',
  'refund is never paid twice. Refunds for damaged goods are paid at once.',
].join('\n');
const question = 'How are refunds paid?';
const replyWithPii = 'Refunds are paid to the original payment method within thirty days of delivery [1]. ' +
  `Write to the billing team at ${email} about the card ${card} if the refund is late [1]. ` +
  'The billing team answers every message within two working days, and a refund is never paid twice [1].';
const gatedReply = replyWithPii.replace(email, '[REDACTED EMAIL]').replace(card, '[REDACTED CREDIT_CARD]');
/** Tenant `published` lists its billing address among the contacts it publishes (piiLeak.publicValues). */
const billing = 'billing@acme.example';
const gateConfig = new GateConfig({
  overrides: [{ tenant: 'published', gates: { output: { piiLeak: { publicValues: [billing] } } } }],
});
/** Replies of 5 and 50 streamed words (content deltas), both grounded in the policy they cite. */
const fiveWords = 'Refunds paid at once [1].';
const groundedSentence = 'Refunds are paid to the original payment method within thirty days [1].';
const fiftyWords = Array.from({ length: 5 }, () => groundedSentence)
  .join(' ').split(' ')
  .slice(0, 50)
  .join(' ');

const catalog = (openai: FakeLlmServer) => parseModelCatalog({
  providers: {
    openai: {
      kind: 'openai', baseUrl: openai.openAIBaseUrl, apiKeyEnv: 'TEST_OPENAI_KEY', requestTimeoutMs: 5_000,
      callTimeoutMs: 20_000, heartbeatTimeoutMs: 5_000, streamIntervalMs: 50, streamWindowCharacters: 64,
      retry: { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 2 },
    },
  },
  models: [
    {
      id: 'gpt-mini', provider: 'openai', providerModel: 'gpt-4o-mini', tier: 'small', contextWindow: 128_000,
      inputPricePerMillionUsd: 0.15, outputPricePerMillionUsd: 0.6, maxOutputTokens: 300,
    },
    { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000 },
  ],
  routes: {
    default: { chain: ['gpt-mini'], refine: { enabled: false } },
    offline: { chain: ['extractive'], refine: { enabled: false } },
    reviewed: { chain: ['gpt-mini'], refine: { enabled: false }, review: { group: 'support', always: true } },
  },
  reviewGroups: { reviewers: ['alice'], support: ['alice'] },
});

/** The events of a stream, and the text a caller was shown after each (deltas since the last reset). */
async function collect(
  stream: AsyncIterable<AnswerStreamEvent>, stopAfter?: (event: AnswerStreamEvent) => boolean,
): Promise<{ events: AnswerStreamEvent[]; shown: string[] }> {
  const events: AnswerStreamEvent[] = [];
  const shown: string[] = [];
  let text = '';
  for await (const event of stream) {
    events.push(answerStreamEventSchema.parse(event));
    if (event.type === 'delta') text += event.text;
    if (event.type === 'reset') text = '';
    shown.push(text);
    if (stopAfter?.(event)) break;
  }
  return { events, shown };
}

const types = (events: readonly AnswerStreamEvent[]): string[] => events.map((event) => event.type);

describe('answer streaming on the real Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let openai: FakeLlmServer;
  let client: SluiceClient;
  const workers: Worker[] = [];
  const running: Promise<void>[] = [];

  const resultOf = (workflowId: string): Promise<AnswerResult> =>
    env.client.workflow.getHandle(workflowId).result() as Promise<AnswerResult>;
  const historyLength = async (workflowId: string): Promise<number> =>
    (await env.client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;

  beforeAll(async () => {
    openai = await FakeLlmServer.start({ apiKey: 'sk-test', chunkDelayMs: 30, reply: () => replyWithPii });
    const modelCatalog = catalog(openai);
    env = await startTestServer();
    dependencies = { ...(await openTestDependencies()), modelCatalog, gates: { config: gateConfig } };
    workers.push(
      await startWorker(env, dependencies),
      await startLlmWorker(env, {
        catalog: modelCatalog, provider: 'openai', environment: { TEST_OPENAI_KEY: 'sk-test' },
      }),
    );
    running.push(...workers.map((worker) => worker.run()));
    for (const tenant of ['acme', 'funded', 'published']) {
      const ingested = await env.client.workflow.execute(workflowTypes.ingest, {
        taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest(tenant, 'policy'),
        args: [{ tenant, ingestId: 'policy', documents: [{ documentId: 'refunds', text: policy }] }],
      }) as IngestResult;
      expect(ingested.ingestedDocuments).toBe(1);
    }
    client = await SluiceClient.connect({ temporalAddress: env.address }, plainClientOptions);
  });

  afterEach(() => openai.setReply(() => replyWithPii));

  afterAll(async () => {
    await client?.close();
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await dependencies?.store.close();
    await env?.teardown();
    await openai?.close();
  });

  it('streams gated deltas before the final answer, never the email or the card', async () => {
    const { events, shown } = await collect(client.askStream(
      { tenant: 'acme', question, requestId: 'stream-1' }, { pollMs: 50 },
    ));
    expect(events[0]).toMatchObject({ type: 'started', workflowId: 'answer~acme~stream-1' });
    expect(events.at(-1)?.type).toBe('final');
    expect(types(events).filter((type) => type === 'delta').length).toBeGreaterThanOrEqual(2);
    expect(types(events)).not.toContain('reset');
    for (const text of shown) {
      expect(text).not.toContain('maria');
      expect(text).not.toMatch(/4111|1111 1111/);
    }
    const final = events.at(-1) as Extract<AnswerStreamEvent, { type: 'final' }>;
    // The answer stored and returned is the output gates' one; the stream was a prefix of it.
    expect(final.result.answer).toBe(gatedReply);
    expect(final.result.status).toBe('answered');
    expect(await resultOf(final.workflowId)).toEqual(final.result);
    expect(final.replaced).toBe(false);
    expect(final.result.answer.startsWith(shown.at(-1)!)).toBe(true);
  });

  it("streams a tenant's published contact as written, and still redacts the card", async () => {
    openai.setReply(() => replyWithPii.replace(email, billing));
    const { events, shown } = await collect(client.askStream(
      { tenant: 'published', question, requestId: 'published' }, { pollMs: 50 },
    ));
    expect(types(events)).not.toContain('reset');
    expect(shown.some((text) => text.includes(billing))).toBe(true);
    for (const text of shown) expect(text).not.toMatch(/4111|1111 1111/);
    const final = events.at(-1) as Extract<AnswerStreamEvent, { type: 'final' }>;
    expect(final.result.answer).toBe(gatedReply.replace('[REDACTED EMAIL]', billing));
    expect(final.replaced).toBe(false);
  });

  it('keeps tokens out of history: a 5-word and a 50-word reply record as many events', async () => {
    openai.setReply(() => fiveWords);
    const short = await collect(client.askStream({ tenant: 'acme', question, requestId: 'short' }, { pollMs: 50 }));
    openai.setReply(() => fiftyWords);
    const long = await collect(client.askStream({ tenant: 'acme', question, requestId: 'long' }, { pollMs: 50 }));
    expect(types(long.events).filter((type) => type === 'delta').length).toBeGreaterThanOrEqual(2);
    for (const { events } of [short, long]) expect(events.at(-1)).toMatchObject({ result: { status: 'answered' } });
    expect(openai.requests.slice(-2).map((request) => request.outputTokens)).toEqual([5, 50]);
    const shortEvents = await historyLength('answer~acme~short');
    const longEvents = await historyLength('answer~acme~long');
    expect(shortEvents).toBeGreaterThan(10);
    expect(longEvents).toBe(shortEvents);
  });

  it('lets a consumer leave after the first delta: the run completes and its budget is settled once', async () => {
    await setBudget(env.client, 'funded', { tenant: { period: 'day', maxTokens: 100_000 } });
    const stream = client.askStream({ tenant: 'funded', question, requestId: 'leaves' }, { pollMs: 50 });
    const { events } = await collect(stream, (event) => event.type === 'delta');
    expect(types(events)).toEqual(['started', 'delta']);
    const result = await resultOf('answer~funded~leaves');
    expect(result.status).toBe('answered');
    expect(result.answer).toBe(gatedReply);
    const usage = result.generation!.usage;
    const view = await showBudget(env.client, 'funded');
    const tenantScope = view.scopes.find((scope) => scope.scope === 'tenant')!;
    expect(tenantScope.usedTokens).toBe(usage.inputTokens + usage.outputTokens);
    expect(tenantScope.reservedTokens).toBe(0);
    expect(view.openReservations).toBe(0);
  });

  it('stops at once when the signal aborts, without a final event', async () => {
    const abort = new AbortController();
    const { events } = await collect(
      client.askStream({ tenant: 'acme', question, requestId: 'aborted' }, { pollMs: 50, signal: abort.signal }),
      (event) => { if (event.type === 'delta') abort.abort(); return false; },
    );
    expect(types(events)).toEqual(['started', 'delta']);
    expect((await resultOf('answer~acme~aborted')).status).toBe('answered');
  });

  it('says replaced when the final answer puts back the user\'s own redacted values', async () => {
    // The model only ever sees the user's email as a placeholder, and streams it as one.
    openai.setReply(() => 'The billing team answers [EMAIL_1] within two working days [1]. ' +
      'Refunds are paid to the original payment method within thirty days of delivery [1]. ' +
      'A refund is never paid twice [1].');
    const { events, shown } = await collect(client.askStream({
      tenant: 'acme', question: 'My email is ana.silva@example.org: how are refunds paid?', requestId: 'restored',
    }, { pollMs: 50 }));
    const final = events.at(-1) as Extract<AnswerStreamEvent, { type: 'final' }>;
    expect(final.result.answer).toContain('ana.silva@example.org');
    expect(shown.some((text) => text.includes('ana.silva'))).toBe(false);
    expect(shown.at(-1)).toContain('[EMAIL_1]');
    expect(final.replaced).toBe(true);
  });

  it('releases nothing before a reviewer decides on a route that always reviews', async () => {
    const { events } = await collect(client.askStream({
      tenant: 'acme', question, requestId: 'reviewed', route: 'reviewed',
    }, { pollMs: 50 }));
    expect(types(events)).toEqual(['started', 'pending_review']);
  });

  it('streams only started and final with the offline extractive model', async () => {
    const { events } = await collect(client.askStream({
      tenant: 'acme', question, requestId: 'offline', route: 'offline',
    }));
    expect(types(events)).toEqual(['started', 'final']);
    expect(events[1]).toMatchObject({ type: 'final', replaced: false, result: { model: 'extractive' } });
  });

  describe('through the HTTP gateway', () => {
    let gateway: RunningGateway;
    let authorization: string;
    const logged: string[] = [];
    /** What the gateway read of each stream it opened, and whether it stopped reading. */
    const reads: { types: string[]; ended: boolean }[] = [];
    const askStream: GatewayClient['askStream'] = (input, options) => {
      const read = { types: [] as string[], ended: false };
      reads.push(read);
      return (async function* recorded() {
        try {
          for await (const event of client.askStream(input, options)) {
            read.types.push(event.type);
            yield event;
          }
        } finally {
          read.ended = true;
        }
      })();
    };
    const url = () => `${gateway.url}/v1/answers/stream`;

    beforeAll(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sluice-stream-gateway-'));
      const { token } = await addApiKey(join(dataDir, 'gateway-keys.json'), {
        tenant: 'acme', name: 'acme-app', roles: ['caller'],
      });
      authorization = `Bearer ${token}`;
      const logs = new Writable({ write(chunk, _encoding, done) { logged.push(String(chunk)); done(); } });
      // The real client, with its streams recorded as the gateway reads them.
      const recording = new Proxy(client, {
        get: (target, property) => {
          if (property === 'askStream') return askStream;
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      gateway = await startGateway({
        client: recording, dataDir, host: '127.0.0.1', port: 0, environment: {}, logger: pino({ level: 'info' }, logs),
      });
    });
    afterAll(() => gateway?.close());

    it('sends the stream as server-sent events', async () => {
      const connection = await openEventStream(url(), { question, requestId: 'sse-1' }, { authorization });
      expect(connection.status).toBe(200);
      expect(connection.headers['content-type']).toMatch(/^text\/event-stream/);
      const events = parseEvents(await connection.readAll());
      const names = events.map((event) => event.event);
      expect(names[0]).toBe('started');
      expect(names.at(-1)).toBe('final');
      expect(names.filter((name) => name === 'delta').length).toBeGreaterThanOrEqual(2);
      const parsed = events.map((event) => answerStreamEventSchema.parse(event.data));
      const streamed = parsed.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('');
      expect(streamed).not.toMatch(/maria|4111/);
      expect(parsed.at(-1)).toMatchObject({ type: 'final', replaced: false, result: { answer: gatedReply } });
    });

    it('stops cleanly when the client disconnects midway; the run completes', async () => {
      const connection = await openEventStream(url(), { question, requestId: 'sse-leaves' }, { authorization });
      await connection.readUntil((text) => parseEvents(text).some((event) => event.event === 'delta'));
      connection.disconnect();
      expect((await resultOf('answer~acme~sse-leaves')).answer).toBe(gatedReply);
      // The gateway stopped reading when the client left, before the run's result.
      const read = reads.at(-1)!;
      for (let waited = 0; !read.ended && waited < 3_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(read.ended).toBe(true);
      expect(read.types.slice(0, 2)).toEqual(['started', 'delta']);
      expect(read.types).not.toContain('final');
      expect(logged.join('')).not.toMatch(/"level":50/);
    });
  });
});
