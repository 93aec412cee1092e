import { temporal } from '@temporalio/proto';
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../workers/free-port';
import { FakeLlmServer } from '../fakes/fake-llm-server';
import { freshDataDir } from '../helpers/temporal-env';

// `npm start` as a user runs it, with a model catalog whose route calls an OpenAI-protocol provider (the
// fake wire server): the CLI ingests and asks through it, and the Prometheus endpoint then shows the
// runtime's metrics and Sluice's own for that answer.

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

function catalogFile(dataDir: string, baseUrl: string): string {
  const path = join(dataDir, 'catalog.json');
  writeFileSync(path, JSON.stringify({
    providers: { openai: { kind: 'openai', apiKeyEnv: 'NPM_START_TEST_KEY', baseUrl } },
    models: [{
      id: 'gpt-test', provider: 'openai', tier: 'small', contextWindow: 16000,
      inputPricePerMillionUsd: 1, outputPricePerMillionUsd: 2,
    }],
    reviewGroups: { reviewers: ['alice'], support: ['alice'] },
    routes: {
      default: { chain: ['gpt-test'] },
      cached: { chain: ['gpt-test'], cache: { exact: true, semantic: false, ttl: '1h' } },
      reviewed: { chain: ['gpt-test'], review: { group: 'support', always: true, deadline: '1h' } },
    },
  }));
  return path;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The value of the first sample of `metric` whose labels include every one of `labels`. */
function sample(text: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('npm start', () => {
  let fake: FakeLlmServer;
  let stack: ChildProcess | undefined;
  let output = '';
  let environment: Record<string, string>;
  let metricsUrl: string;
  let gatewayUrl: string;
  const sluice = (args: string[]) =>
    run(join(root, 'bin', 'sluice'), args, { cwd: root, env: { ...process.env, ...environment } });

  beforeAll(async () => {
    fake = await FakeLlmServer.start({
      reply: () => 'Temporal replays the workflow history on another worker, so the run resumes [1].',
    });
    const dataDir = freshDataDir();
    const [port, uiPort, metricsPort, gatewayPort] = [
      await freePort(), await freePort(), await freePort(), await freePort(),
    ];
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    environment = {
      SLUICE_DATA_DIR: dataDir, SLUICE_TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      SLUICE_TEMPORAL_UI_URL: `http://127.0.0.1:${uiPort}`, SLUICE_LOG_LEVEL: 'warn',
      SLUICE_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, SLUICE_TENANT: 'metrics',
      SLUICE_GATEWAY_PORT: String(gatewayPort),
      SLUICE_MODEL_CATALOG: catalogFile(dataDir, fake.openAIBaseUrl), NPM_START_TEST_KEY: 'sk-test',
    };
    stack = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', 'dev-stack.ts')], {
      cwd: root, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stack.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('npm start is running', () => {
      if (stack!.exitCode !== null) throw new Error(`npm start exited ${stack!.exitCode}:\n${output}`);
      return output.includes('Sluice is running');
    }, 120_000);
    await sluice(['ingest', join(root, 'examples', 'corpus')]);
  });

  afterAll(async () => {
    if (stack && stack.exitCode === null) {
      const exited = new Promise((resolve) => stack!.once('exit', resolve));
      stack.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
  });


  it('answers through the provider queue and exports runtime and Sluice metrics for it', async () => {
    const asked = await sluice(['ask', 'What happens to the workflow when a worker process crashes?']);
    expect(asked.stdout).toContain('resumes');
    expect(fake.requests.length).toBeGreaterThan(0);

    // The runtime exports on an interval; wait for this answer's counters to appear.
    let text = '';
    await waitFor('the answer in the metrics', async () => {
      text = await (await fetch(metricsUrl)).text();
      return sample(text, 'sluice_answers_total', { tenant: 'metrics' }) !== undefined;
    }, 15_000);
    expect(sample(text, 'sluice_answers_total', { tenant: 'metrics', cache: 'none' })).toBe(1);
    const labels = { tenant: 'metrics', provider: 'openai', model: 'gpt-test' };
    expect(sample(text, 'sluice_model_tokens_total', { ...labels, direction: 'input' })).toBeGreaterThan(0);
    expect(sample(text, 'sluice_model_tokens_total', { ...labels, direction: 'output' })).toBeGreaterThan(0);
    expect(sample(text, 'sluice_model_cost_microusd_total', labels)).toBeGreaterThan(0);
    expect(sample(text, 'sluice_gate_decisions_total', { stage: 'input', action: 'allow' })).toBeGreaterThan(0);
    expect(sample(text, 'sluice_gate_decisions_total', { stage: 'output' })).toBeGreaterThan(0);
    // The runtime's own: completed workflows and activity latency on the provider queue.
    expect(text).toMatch(/^temporal_workflow_completed_total\{/m);
    expect(text).toMatch(/^temporal_activity_execution_latency_bucket\{.*task_queue="sluice-llm-openai"/m);

    // The same through the stream: the gated text as it is written, then citations and status.
    const streamed = await sluice(['ask', '--stream', 'Does a crashed worker lose the workflow?']);
    expect(streamed.stdout).toContain('resumes');
  });

  it('counts answer cache hits and misses, and how long a run waited for its reviewer', async () => {
    const question = 'How does Sluice keep a workflow alive when a worker crashes?';
    await sluice(['ask', '--route', 'cached', question]);
    await sluice(['ask', '--route', 'cached', question]);
    const reviewed = sluice(['ask', '--route', 'reviewed', '--request-id', 'reviewed-1', '--wait', question]);
    const workflowId = 'answer~metrics~reviewed-1';
    await waitFor('the run waits for review', async () => {
      const listed = await sluice(['review', 'list', '--group', 'support']);
      return listed.stdout.includes(workflowId);
    }, 30_000);
    await sluice(['review', 'approve', workflowId, '--reviewer', 'alice']);
    expect((await reviewed).stdout).toContain('review: approve by alice');

    let text = '';
    await waitFor('the review wait in the metrics', async () => {
      text = await (await fetch(metricsUrl)).text();
      return sample(text, 'sluice_review_wait_ms_count', { decision: 'approve' }) !== undefined;
    }, 15_000);
    expect(sample(text, 'sluice_review_wait_ms_count', { decision: 'approve' })).toBe(1);
    expect(sample(text, 'sluice_review_wait_ms_sum', { decision: 'approve' })).toBeGreaterThan(0);
    expect(sample(text, 'sluice_answer_cache_lookups_total', { result: 'miss' })).toBe(1);
    expect(sample(text, 'sluice_answer_cache_lookups_total', { result: 'exact' })).toBe(1);
    expect(sample(text, 'sluice_answers_total', { tenant: 'metrics', cache: 'exact' })).toBe(1);
  });

  it('serves the HTTP gateway, keeps history encrypted, and decodes it at /codec for operator keys only', async () => {
    expect(output).toContain(`HTTP gateway: ${gatewayUrl}`);
    expect((await fetch(`${gatewayUrl}/healthz`)).status).toBe(200);
    const keyFor = async (role: string) =>
      (await sluice(['gateway', 'key', 'create', '--tenant', 'metrics', '--name', `${role}-1`, '--role', role]))
        .stdout.trim();
    const caller = await keyFor('caller');
    const operator = await keyFor('operator');
    const question = 'What does the codec protect? My card is 4111 1111 1111 1111.';
    const answered = await fetch(`${gatewayUrl}/v1/answers`, {
      method: 'POST', headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question, requestId: 'codec-1' }),
    });
    // The fake model's fixed reply is not grounded in this question, so the run may wait for review.
    expect([200, 202]).toContain(answered.status);

    // Raw history, read with no codec: neither the question nor the card number is there in any form.
    const connection = await Connection.connect({ address: environment.SLUICE_TEMPORAL_ADDRESS! });
    try {
      const raw = await connection.workflowService.getWorkflowExecutionHistory({
        namespace: 'default', execution: { workflowId: 'answer~metrics~codec-1' },
      });
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(raw.history!).finish());
      for (const secret of ['4111 1111 1111 1111', 'codec protect']) {
        expect(bytes.includes(secret)).toBe(false);
        expect(bytes.includes(Buffer.from(secret).toString('base64').slice(0, 16))).toBe(false);
      }
      const input = raw.history!.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const body = JSON.stringify({
        payloads: [{
          metadata: Object.fromEntries(Object.entries(input.metadata!).map(([key, value]) => [
            key, Buffer.from(value).toString('base64'),
          ])),
          data: Buffer.from(input.data!).toString('base64'),
        }],
      });
      const decode = (authorization?: string) => fetch(`${gatewayUrl}/codec/decode`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'x-namespace': 'default',
          ...(authorization ? { authorization } : {}) },
      });
      const refused = await decode();
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain('codec protect');
      expect((await decode(`Bearer ${caller}`)).status).toBe(401);
      const decoded = await decode(`Bearer ${operator}`);
      expect(decoded.status).toBe(200);
      const [plain] = ((await decoded.json()) as { payloads: { data: string }[] }).payloads;
      expect(Buffer.from(plain!.data, 'base64').toString()).toContain('What does the codec protect?');
    } finally {
      await connection.close();
    }
  });
});
