import { MockActivityEnvironment } from '@temporalio/testing';
import { parseModelCatalog } from '../../../../activities/models/load-catalog';
import { createProviderActivities } from '../../../../activities/models/provider-activities';
import { StreamProgress } from '../../../../activities/models/stream-progress';
import type { ModelCallInputRaw, ModelCallResult } from '../../../../contracts/models';
import type { ModelCallProgress } from '../../../../contracts/stream';
import { modelCallProgressSchema } from '../../../../contracts/stream';
import { FakeLlmServer } from '../../../fakes/fake-llm-server';

// What a streaming model call heartbeats: only gated text. The heartbeat details are what
// `askStream` callers see, so a card or an email split across chunks must never be in them.

const email = 'maria.lopez@example.com';
const card = '4111 1111 1111 1111';
const reply = 'Refunds are paid to the original payment method within thirty days of delivery. ' +
  `Write to ${email} about card ${card} if the refund is late. ` +
  'The billing team answers every message within two working days, and a refund is never paid twice.';

describe('streaming callModel heartbeats', () => {
  let fake: FakeLlmServer;
  beforeAll(async () => {
    fake = await FakeLlmServer.start({ reply: () => reply });
  });
  afterAll(() => fake.close());

  it('heartbeats the gated prefix with every chunk, never a value, and the gated whole at the end', async () => {
    const catalog = parseModelCatalog({
      providers: { openai: { kind: 'openai', baseUrl: fake.openAIBaseUrl, streamIntervalMs: 50 } },
      models: [{ id: 'gpt', provider: 'openai', tier: 'small', contextWindow: 10_000, maxOutputTokens: 500 }],
      routes: { default: { chain: ['gpt'] } },
    });
    const activities = createProviderActivities({ catalog, environment: { OPENAI_API_KEY: 'sk-test' } });
    const environment = new MockActivityEnvironment();
    const heartbeats: ModelCallProgress[] = [];
    environment.on('heartbeat', (details: unknown) => heartbeats.push(modelCallProgressSchema.parse(details)));
    const input: ModelCallInputRaw = {
      modelId: 'gpt', messages: [{ role: 'user', content: 'refund?' }],
      tags: { tenant: 'acme', feature: 'qa', promptVersion: 'p1' },
    };
    const result: ModelCallResult = await environment.run(activities.callModel, input);
    expect(result.text).toBe(reply);
    expect(heartbeats.length).toBeGreaterThan(10);
    for (const { released } of heartbeats) {
      expect(released).toBeDefined();
      expect(released).not.toContain('4111');
      expect(released).not.toContain('maria');
    }
    expect(heartbeats.at(-1)).toEqual({
      receivedCharacters: reply.length, attempt: 1,
      released: reply.replace(email, '[REDACTED EMAIL]').replace(card, '[REDACTED CREDIT_CARD]'),
    });
  });

  it('runs the detectors at most once per interval while every chunk heartbeats', () => {
    let now = 0;
    const sent: ModelCallProgress[] = [];
    const progress = new StreamProgress((details) => sent.push(details), {
      attempt: 2, intervalMs: 100, holdBackCharacters: 64, now: () => now,
    });
    const text = 'word '.repeat(40);
    progress.onChunk(text.length, text);
    const first = sent[0]!.released!;
    expect(first.length).toBeGreaterThan(0);
    now = 50;
    const longer = text + 'more '.repeat(40);
    progress.onChunk(longer.length, longer);
    expect(sent[1]).toEqual({ receivedCharacters: longer.length, released: first, attempt: 2 });
    now = 100;
    progress.onChunk(longer.length, longer);
    expect(sent[2]!.released!.length).toBeGreaterThan(first.length);
  });
});
