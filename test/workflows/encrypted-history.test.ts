import type { Payload } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import type { ActivityDependencies } from '../../activities';
import { CodecKeyUnknownError } from '../../client/codec/codec-errors';
import { EncryptionCodec, isEncryptedPayload, payloadKeyId } from '../../client/codec/encryption-codec';
import { SluiceClient } from '../../client/sluice-client';
import { workflowIds } from '../../contracts/workflow-types';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { runSluice } from '../helpers/sluice-cli';
import { openTestDependencies, startTestServer } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';
import { decodedHistoryText } from './decoded-history';
import { reviewCatalog } from './review-fixtures';

// With the codec on client and worker, what the user typed and what the documents hold is stored
// encrypted: read straight from the server, no history carries a planted secret in any form, while
// a reader holding the keys sees it all. Rotation: a run begun under k1 finishes, and still reads,
// on workers whose active key is k2.

type History = temporal.api.history.v1.IHistory;

const ssn = '123-45-6789';
const card = '4111 1111 1111 1111';
const launchCode = 'ZEBRA-OCTAVE-4417';
const cliSecret = 'PELICAN-9931';
const question = `My SSN is ${ssn} and card ${card}. What is the launch code of Project Nightjar?`;
const document = [
  '# Project Nightjar',
  '',
  `The launch code of Project Nightjar is ${launchCode}, and it is kept in the vault of the operations team.`,
].join('\n');

const key = () => randomBytes(32);
const k1 = key();
const k2 = key();
const codecK1 = new EncryptionCodec({ activeKeyId: 'k1', keys: new Map([['k1', k1]]) });
const codecRotated = new EncryptionCodec({ activeKeyId: 'k2', keys: new Map([['k2', k2], ['k1', k1]]) });

/** Every payload object in a history (the proto's Payload shape: metadata plus data bytes). */
function payloadsOf(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as { metadata?: unknown; data?: unknown };
  if (candidate.data instanceof Uint8Array && typeof candidate.metadata === 'object') found.push(value as Payload);
  else Object.values(value).forEach((field) => payloadsOf(field, found));
  return found;
}

/** Everything the server stores for a history: its bytes, its JSON, and every base64 string in it opened. */
function storedForms(history: History): string[] {
  const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  const json = JSON.stringify(temporal.api.history.v1.History.fromObject(history).toJSON());
  const opened = (json.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? []).map((chunk) => Buffer.from(chunk, 'base64'));
  const data = payloadsOf(history).map((payload) => Buffer.from(payload.data ?? new Uint8Array()));
  return [bytes, Buffer.from(json), ...opened, ...data].map((form) => form.toString('latin1'));
}

/** The history as a holder of the keys reads it: every encrypted payload decoded in place. */
async function decodeHistory(history: History, codec: EncryptionCodec): Promise<History> {
  const copy = temporal.api.history.v1.History.decode(temporal.api.history.v1.History.encode(history).finish());
  for (const payload of payloadsOf(copy)) {
    const [decoded] = await codec.decode([payload]);
    Object.assign(payload, { metadata: decoded!.metadata, data: decoded!.data });
  }
  return copy;
}

describe('encrypted workflow history', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  let worker: Worker;
  let running: Promise<void>;
  let client: SluiceClient;

  /** The history as the server holds it, read with no codec. */
  async function rawHistory(workflowId: string): Promise<History> {
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await env.client.workflowService.getWorkflowExecutionHistory({
        namespace: env.namespace ?? 'default', execution: { workflowId }, nextPageToken,
      });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return { events };
  }

  /** Ids of every execution in the namespace (children included), once `expected` are listed. */
  async function allWorkflowIds(expected: string[]): Promise<string[]> {
    for (let attempt = 0; ; attempt += 1) {
      const page = await env.client.workflowService.listWorkflowExecutions({
        namespace: env.namespace ?? 'default', pageSize: 1000,
      });
      const ids = (page.executions ?? []).map((execution) => execution.execution?.workflowId ?? '');
      if (expected.every((id) => ids.includes(id)) || attempt > 50) return [...new Set(ids)];
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function startWorker(codec: EncryptionCodec): Promise<void> {
    worker = await createOrchestrationWorker({
      connection: env.nativeConnection as NativeConnection,
      namespace: env.namespace ?? 'default',
      dependencies,
      workflowBundle: { codePath: workflowBundlePath },
      dataConverter: { payloadCodecs: [codec] },
    });
    running = worker.run();
  }

  const connectClient = (codec: EncryptionCodec) =>
    SluiceClient.connect({ temporalAddress: env.address }, { dataConverter: { payloadCodecs: [codec] } });

  beforeAll(async () => {
    env = await startTestServer();
    dependencies = { ...(await openTestDependencies()), modelCatalog: reviewCatalog() };
    await startWorker(codecK1);
    client = await connectClient(codecK1);
    const ingest = await client.startIngest({
      tenant: 'vault', ingestId: 'nightjar', documents: [{ documentId: 'nightjar.md', text: document }],
    });
    expect((await ingest.result()).ingestedDocuments).toBe(1);
  });

  afterAll(async () => {
    await client?.close();
    worker?.shutdown();
    await running;
    await dependencies?.store.close();
    await env?.teardown();
  });

  it('keeps the question and the documents out of every stored history, readable only with the key', async () => {
    const asked = await client.ask({ tenant: 'vault', requestId: 'secrets', question });
    // The secret went through history (in the retrieved passages and the answer), so its absence below means something.
    expect(asked.result.answer).toContain(launchCode);

    const answerId = workflowIds.answer('vault', 'secrets');
    const ingestId = workflowIds.ingest('vault', 'nightjar');
    const ids = await allWorkflowIds([answerId, ingestId]);
    expect(ids).toEqual(expect.arrayContaining([answerId, ingestId]));
    const found: string[] = [];
    for (const workflowId of ids) {
      for (const form of storedForms(await rawHistory(workflowId))) {
        for (const secret of [ssn, card, launchCode]) if (form.includes(secret)) found.push(`${workflowId}: ${secret}`);
      }
    }
    expect(found).toEqual([]);

    const raw = await rawHistory(answerId);
    const input = raw.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(isEncryptedPayload(input!)).toBe(true);
    expect(payloadKeyId(input!)).toBe('k1');
    // Not payload-encoded, and holding no user text: search attributes (tenant, status…), and what
    // Temporal's core writes into markers itself (a patch id; a local activity's type, attempt and times).
    // Everything else, the local activities' results included, must be encrypted.
    const unencoded = new Set((raw.events ?? []).flatMap((event) => [
      ...Object.values(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}),
      ...Object.values(event.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ?? {}),
      ...Object.entries(event.markerRecordedEventAttributes?.details ?? {})
        .flatMap(([name, payloads]) => (name === 'result' ? [] : payloads.payloads ?? [])),
    ]));
    const clear = payloadsOf(raw).filter((payload) => !isEncryptedPayload(payload) && !unencoded.has(payload));
    expect(clear).toEqual([]);

    const decoded = decodedHistoryText(await decodeHistory(raw, codecK1));
    expect(decoded).toContain(question);
    expect(decoded).toContain(launchCode);
  });

  it('has the sluice CLI encrypt with the configured keys', async () => {
    const cliQuestion = `Is ${cliSecret} the launch code of Project Nightjar?`;
    const outcome = await runSluice(['ask', '--request-id', 'cli', cliQuestion], {
      address: env.address, tenant: 'vault',
      environment: { SLUICE_CODEC: 'on', SLUICE_CODEC_KEYS: `k1:${k1.toString('base64')}` },
    });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const raw = await rawHistory(workflowIds.answer('vault', 'cli'));
    for (const form of storedForms(raw)) expect(form.includes(cliSecret)).toBe(false);
    expect(decodedHistoryText(await decodeHistory(raw, codecK1))).toContain(cliQuestion);
  });

  it('finishes and reads a run begun under k1 after the active key becomes k2', async () => {
    const submitted = await client.submit({
      tenant: 'vault', requestId: 'rotation', question, route: 'reviewed', userId: 'ana',
    });
    expect('pendingReview' in submitted).toBe(true);

    // Rotate: workers and clients restart with k2 first and k1 kept for what was written before.
    worker.shutdown();
    await running;
    await client.close();
    await startWorker(codecRotated);
    client = await connectClient(codecRotated);
    const outcome = await client.decideReview(submitted.workflowId, { decision: 'approve', reviewer: 'alice' });
    expect(outcome.record.decision).toBe('approve');
    expect((await client.waitForAnswer(submitted.workflowId)).status).toBe('answered');

    const raw = await rawHistory(submitted.workflowId);
    const keyIds = new Set(payloadsOf(raw).filter(isEncryptedPayload).map(payloadKeyId));
    expect(keyIds).toEqual(new Set(['k1', 'k2']));
    expect(decodedHistoryText(await decodeHistory(raw, codecRotated))).toContain(question);
    // Dropping k1 too early leaves the run's input unreadable, with an error that names the key.
    const withoutK1 = new EncryptionCodec({ activeKeyId: 'k2', keys: new Map([['k2', k2]]) });
    await expect(decodeHistory(raw, withoutK1)).rejects.toBeInstanceOf(CodecKeyUnknownError);
  });
});
