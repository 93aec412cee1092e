import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { addApiKey, type NewApiKey } from '../../../client/gateway-keys';
import type { AnswerResult } from '../../../contracts/answer';
import { budgetLimitsSchema, type BudgetView } from '../../../contracts/budget';
import type { GatewayLimitsInput } from '../../../contracts/gateway';
import type { ReviewView } from '../../../contracts/review';
import type { AnswerStreamEvent } from '../../../contracts/stream';
import { buildGateway } from '../../../gateway/app';
import { FileApiKeyStore } from '../../../gateway/auth/key-store';
import type { GatewayClient } from '../../../gateway/gateway-client';

// A gateway over a fake client, with a real key file in a temporary folder, a stepped clock and
// captured logs: what every gateway unit test starts from.

export const answered: AnswerResult = {
  status: 'answered', answer: 'Temporal replays the history [1].', citations: [], gateDecisions: [],
  model: 'extractive', degraded: false,
};

export const pendingView: ReviewView = {
  state: 'pending', tenant: 'acme', feature: 'qa', group: 'support', escalated: false, reasons: ['route: always'],
  question: 'q', draft: 'draft', citations: [], gateDecisions: [],
};

/** A budget view as the ledger answers it, with `limits` in place of the empty ones. */
export const budgetViewOf = (tenant: string, limits = budgetLimitsSchema.parse({})): BudgetView => ({
  tenant, limits, scopes: [], openReservations: 0, asOf: '2026-01-01T00:00:00.000Z',
});

type Method = keyof GatewayClient;

/** An answer stream that yields `events` (a fake `askStream`). */
export async function* streamOf(events: readonly AnswerStreamEvent[]): AsyncGenerator<AnswerStreamEvent> {
  for (const event of events) yield event;
}

/** A GatewayClient that records every call and answers with whatever the test sets. */
export class FakeClient implements GatewayClient {
  readonly calls: { method: Method; args: unknown[] }[] = [];
  /** Replace any of these to change an answer (or throw). */
  handlers: { [Name in Method]: (...args: Parameters<GatewayClient[Name]>) => ReturnType<GatewayClient[Name]> } = {
    submit: async (input) => ({
      workflowId: `answer~${input.tenant}~${input.requestId ?? 'r1'}`, runId: 'run-1', uiUrl: 'http://ui',
      result: answered,
    }),
    startAnswer: async (input) => ({ workflowId: `answer~${input.tenant}~${input.requestId ?? 'r1'}`, runId: 'run-1' }),
    askStream: (input) => streamOf([
      { type: 'started', workflowId: `answer~${input.tenant}~${input.requestId ?? 'r1'}`, runId: 'run-1' },
      { type: 'delta', text: 'Temporal replays ' },
      {
        type: 'final', workflowId: `answer~${input.tenant}~${input.requestId ?? 'r1'}`, runId: 'run-1',
        result: answered, replaced: false,
      },
    ]),
    answerStatus: async () => ({ state: 'completed', result: answered }),
    startIngest: async (input) => ({
      workflowId: `ingest~${input.tenant}~${input.ingestId ?? 'i1'}`, uiUrl: 'http://ui',
      progress: async () => ({ totalDocuments: 1, processedDocuments: 0, chunks: 0 }),
      result: async () => ({ documents: [], ingestedDocuments: 1, skippedDocuments: 0, chunks: 1 }),
    }),
    ingestStatus: async () => ({ state: 'running', progress: { totalDocuments: 2, processedDocuments: 1, chunks: 3 } }),
    listReviews: async (filter = {}) => [{
      workflowId: `answer~${filter.tenant}~r1`, runId: 'run-1', tenant: filter.tenant, group: filter.group ?? 'support',
      startedAt: new Date('2026-01-01T00:00:00Z'),
    }],
    showReview: async () => pendingView,
    decideReview: async (_workflowId, decision) => ({
      status: 'answered',
      record: {
        decision: decision.decision, reviewer: decision.reviewer, group: 'support', decidedAt: '2026-01-01T00:00:00Z',
        via: 'update', escalated: false, refusedEdits: 0,
      },
    }),
    recordFeedback: async (input) => ({
      runId: 'run-1', status: 'answered', promptId: 'grounded-answer', promptVersion: 'v1', variant: 'control',
      model: 'extractive', route: 'default', tenant: input.tenant, workflowId: input.workflowId, rating: input.rating,
      recordedAt: '2026-01-01T00:00:00Z',
    }),
    showBudget: async (tenant) => budgetViewOf(tenant),
    setBudget: async (tenant, limits) => budgetViewOf(tenant, budgetLimitsSchema.parse(limits)),
    deleteDocuments: async (input) => ({
      documents: input.documentIds.map((documentId) => ({ documentId, deletedChunks: 2 })),
      deletedChunks: 2 * input.documentIds.length,
    }),
    ping: async () => undefined,
  };

  private record<Name extends Method>(method: Name, args: Parameters<GatewayClient[Name]>): void {
    this.calls.push({ method, args });
  }

  /** Calls that would reach a workflow (everything but the readiness ping). */
  get workflowCalls(): { method: Method; args: unknown[] }[] {
    return this.calls.filter((call) => call.method !== 'ping');
  }

  submit: GatewayClient['submit'] = (...args) => { this.record('submit', args); return this.handlers.submit(...args); };
  askStream: GatewayClient['askStream'] = (...args) => {
    this.record('askStream', args);
    return this.handlers.askStream(...args);
  };
  startAnswer: GatewayClient['startAnswer'] = (...args) => {
    this.record('startAnswer', args);
    return this.handlers.startAnswer(...args);
  };
  answerStatus: GatewayClient['answerStatus'] = (...args) => {
    this.record('answerStatus', args);
    return this.handlers.answerStatus(...args);
  };
  startIngest: GatewayClient['startIngest'] = (...args) => {
    this.record('startIngest', args);
    return this.handlers.startIngest(...args);
  };
  ingestStatus: GatewayClient['ingestStatus'] = (...args) => {
    this.record('ingestStatus', args);
    return this.handlers.ingestStatus(...args);
  };
  listReviews: GatewayClient['listReviews'] = (...args) => {
    this.record('listReviews', args);
    return this.handlers.listReviews(...args);
  };
  showReview: GatewayClient['showReview'] = (...args) => {
    this.record('showReview', args);
    return this.handlers.showReview(...args);
  };
  decideReview: GatewayClient['decideReview'] = (...args) => {
    this.record('decideReview', args);
    return this.handlers.decideReview(...args);
  };
  recordFeedback: GatewayClient['recordFeedback'] = (...args) => {
    this.record('recordFeedback', args);
    return this.handlers.recordFeedback(...args);
  };
  showBudget: GatewayClient['showBudget'] = (...args) => {
    this.record('showBudget', args);
    return this.handlers.showBudget(...args);
  };
  setBudget: GatewayClient['setBudget'] = (...args) => {
    this.record('setBudget', args);
    return this.handlers.setBudget(...args);
  };
  deleteDocuments: GatewayClient['deleteDocuments'] = (...args) => {
    this.record('deleteDocuments', args);
    return this.handlers.deleteDocuments(...args);
  };
  ping: GatewayClient['ping'] = (...args) => { this.record('ping', args); return this.handlers.ping(...args); };
}

/** The keys every fixture holds, by the name tests use. */
const fixtureKeys = {
  caller: { tenant: 'acme', name: 'acme-app', roles: ['caller'] },
  reviewer: { tenant: 'acme', name: 'rita', roles: ['reviewer'] },
  supportReviewer: { tenant: 'acme', name: 'sam', roles: ['reviewer'], reviewerGroups: ['support'] },
  operator: { tenant: 'acme', name: 'ops', roles: ['operator'] },
  otherTenant: { tenant: 'globex', name: 'globex-app', roles: ['caller', 'reviewer'] },
} satisfies Record<string, NewApiKey>;
export type FixtureKey = keyof typeof fixtureKeys;

export interface GatewayFixture {
  app: FastifyInstance;
  client: FakeClient;
  keysFile: string;
  /** `Authorization` header values, by key. */
  auth: Record<FixtureKey, string>;
  /** Key ids, by key. */
  keyIds: Record<FixtureKey, string>;
  /** Moves the limiter's clock forward. */
  advance(ms: number): void;
  /** Everything logged so far, as text (one JSON object a line). */
  logText(): string;
  logLines(): Record<string, unknown>[];
}

export async function startFixture(limits: GatewayLimitsInput = {}): Promise<GatewayFixture> {
  const keysFile = join(mkdtempSync(join(tmpdir(), 'sluice-gateway-')), 'gateway-keys.json');
  const auth = {} as Record<FixtureKey, string>;
  const keyIds = {} as Record<FixtureKey, string>;
  for (const [name, key] of Object.entries(fixtureKeys) as [FixtureKey, NewApiKey][]) {
    const { token, record } = await addApiKey(keysFile, key);
    auth[name] = `Bearer ${token}`;
    keyIds[name] = record.id;
  }
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  const logger = pino({ level: 'info' }, stream);
  let now = 1_000_000;
  const client = new FakeClient();
  const app = buildGateway({
    client, keys: await FileApiKeyStore.open(keysFile, logger), limits: { requestsPerSecond: 1000, ...limits },
    logger, now: () => now,
  });
  await app.ready();
  const logText = (): string => chunks.join('');
  return {
    app, client, keysFile, auth, keyIds, logText,
    advance: (ms) => { now += ms; },
    logLines: () => logText().trim().split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** The `{ error }` body of a response. */
export const errorOf = (response: { json(): unknown }): { code: string; message: string; field?: string } =>
  (response.json() as { error: { code: string; message: string; field?: string } }).error;
