import { createModelActivities } from '../../../../activities/models/activities';
import { parseModelCatalog } from '../../../../activities/models/load-catalog';
import { providerQueueLimits, providerSettingsSchema } from '../../../../contracts/model-catalog';
import { modelCallPreset } from '../../../../workflows/activity-presets';

// Provider queue settings: the queue's rate comes from the provider's stated limit (no hidden
// 10/s cap), and waiting for a worker has its own timeout, separate from the call's.

describe('provider queue limits', () => {
  const provider = (settings: Record<string, unknown>) => providerSettingsSchema.parse({ kind: 'openai', ...settings });

  it("derives the queue's rate from the provider's stated requests per minute", () => {
    expect(providerQueueLimits(provider({ requestsPerMinute: 3_000 })).activitiesPerSecond).toBe(50);
    expect(providerQueueLimits(provider({ requestsPerMinute: 30_000 })).activitiesPerSecond).toBe(500);
  });

  it('puts no server-side cap on a queue whose provider states no limit', () => {
    expect(providerQueueLimits(provider({}))).toEqual({ activitiesPerSecond: undefined, maxConcurrent: 100 });
  });

  it('lets an explicit activitiesPerSecond override the derived rate', () => {
    expect(providerQueueLimits(provider({ requestsPerMinute: 3_000, activitiesPerSecond: 20 })).activitiesPerSecond)
      .toBe(20);
  });

  it("sizes a self-hosted model's concurrency by its batch capacity, or the worker's override", () => {
    const vllm = provider({
      kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1', selfHosted: true, batchCapacity: 64,
    });
    expect(providerQueueLimits(vllm)).toEqual({ activitiesPerSecond: undefined, maxConcurrent: 64 });
    expect(providerQueueLimits(vllm, 16).maxConcurrent).toBe(16);
  });
});

describe('schedule-to-start of a model call', () => {
  const retry = { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000, maximumAttempts: 4 };

  it('has its own catalog setting, separate from the call timeout', () => {
    const settings = providerSettingsSchema.parse({ kind: 'anthropic', callTimeoutMs: 120_000 });
    expect(settings.queueTimeoutMs).toBe(30_000);
    expect(providerSettingsSchema.parse({ kind: 'anthropic', queueTimeoutMs: 5_000 }).queueTimeoutMs).toBe(5_000);
  });

  it('is planned per candidate and used as the activity option', async () => {
    const catalog = parseModelCatalog({
      providers: { anthropic: { kind: 'anthropic', callTimeoutMs: 120_000, queueTimeoutMs: 7_000 } },
      models: [{ id: 'claude', provider: 'anthropic', tier: 'small', contextWindow: 100_000 }],
      routes: { default: { chain: ['claude'] } },
    });
    const plan = await createModelActivities({ modelCatalog: catalog })
      .planModelRoute({ messages: [{ role: 'user', content: 'hi' }] });
    expect(plan.candidates[0]).toMatchObject({ startToCloseMs: 120_000, scheduleToStartMs: 7_000 });
    const options = modelCallPreset(plan.candidates[0]!);
    expect(options).toMatchObject({ startToCloseTimeout: 120_000, scheduleToStartTimeout: 7_000 });
  });

  it('keeps start-to-close as the bound for a plan recorded before the setting existed', () => {
    const options = modelCallPreset({
      taskQueue: 'sluice-llm-openai', startToCloseMs: 120_000, heartbeatMs: 30_000, retry,
    });
    expect(options.scheduleToStartTimeout).toBe(120_000);
  });
});
