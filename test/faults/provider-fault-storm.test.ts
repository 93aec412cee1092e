import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ModelAttempt } from '../../contracts/models';
import { startTestServer } from '../helpers/temporal-env';
import { FaultStormProxy, type StormFault } from './provider-fault-proxy';
import {
  captureWorkerLogs, groundedReply, modelStepBoundMs, pipelineAllowanceMs, requestsOfAttempt,
  startStormStack, stormCatalog, stormModels, stormRunTag, type WorkerLogLine, type StormRun,
  type StormStack,
} from './provider-storm-fixtures';

// Provider fault storms through answerWorkflow on the real Temporal dev server, with the real
// OpenAI and Anthropic SDKs on their own provider queues talking, through a seeded fault proxy,
// to the fake wire server. First a storm: 30% of requests to each provider fail at random (429
// with retry-after, 500, hang, reset, malformed body) and retries and the fallback must carry
// every answer, each result recording every request as an attempt. Then every provider down:
// every answer must come back degraded from the extractive model within the bound the catalog's
// timeouts give, and the circuit breakers' opening must be visible to an operator.

const seed = 20_261_127;
const stormAnswers = 200;
const stormConcurrency = 20;
const stormFailureRate = 0.3;
// The breaker as a deployment might tune it for a busy provider; openMs is short so the outage
// test also sees the circuit let a probe through and close again.
const breaker = { windowMs: 10_000, minimumCalls: 10, failureRate: 0.5, openMs: 2_000, halfOpenProbes: 1 };

/** The failure type a model call that ended on each fault must be recorded with. */
const failureTypeOf: Record<StormFault, string> = {
  'rate-limit-seconds': 'RateLimited', 'rate-limit-ms': 'RateLimited', 'server-error': 'ProviderUnavailable',
  hang: 'ProviderTimeout', reset: 'ProviderUnavailable', 'malformed-json': 'MalformedResponse',
};

/** The attempt record of chain model `modelId` in a run, if the run got that far. */
const attemptOf = (run: StormRun, modelId: string): ModelAttempt | undefined =>
  run.result.generation?.attempts.find((attempt) => attempt.modelId === modelId);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// The OpenAI SDK reports an unparsable stream event on console.error before it throws; the
// malformed-body fault makes dozens of them. Those two lines are dropped; anything else passes.
const sdkParseNoise = /^(Could not parse message into JSON:|From chunk:)/;

describe('provider fault storms through answerWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let proxy: FaultStormProxy;
  let stack: StormStack;
  let workerLogs: () => WorkerLogLine[];
  const consoleError = console.error.bind(console);
  const quietConsole = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (typeof args[0] !== 'string' || !sdkParseNoise.test(args[0])) consoleError(...args);
  });

  beforeAll(async () => {
    // Before any connection: the provider workers log through the production pino logger, read back here.
    workerLogs = captureWorkerLogs();
    proxy = await FaultStormProxy.start({
      seed, failureRate: stormFailureRate, runTag: stormRunTag, reply: groundedReply,
    });
    env = await startTestServer();
    stack = await startStormStack(env, stormCatalog(proxy, breaker));
  });

  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
    await proxy?.close();
    quietConsole.mockRestore();
  });

  it(`completes ${stormAnswers} answers while each provider fails ${stormFailureRate * 100}% of calls at random, ` +
    'recording every request as an attempt', async () => {
    proxy.clearLog().setStorm({ failureRate: stormFailureRate });
    stack.breakers.resetAll();
    const started = performance.now();
    const runs = await stack.askMany(0, stormAnswers, stormConcurrency);
    const seconds = Math.round((performance.now() - started) / 100) / 10;

    // The storm was real: about 30% of the requests the providers received failed, with every kind of fault.
    const injected = proxy.requests.filter((request) => request.fault !== 'none');
    const share = injected.length / proxy.requests.length;
    const kinds = new Set<StormFault | 'none'>(injected.map((request) => request.fault));
    expect(share).toBeGreaterThan(stormFailureRate - 0.08);
    expect(share).toBeLessThan(stormFailureRate + 0.08);
    expect(kinds.size).toBe(6);

    // Every answer completed: answered by a provider, or degraded to the extractive model only when both failed.
    const statuses = runs.map((run) => run.result.status);
    expect(statuses.filter((status) => status !== 'answered' && status !== 'degraded')).toEqual([]);
    const degraded = runs.filter((run) => run.result.status === 'degraded');
    for (const run of degraded) {
      expect(run.result.model).toBe('extractive');
      for (const { id } of stormModels) expect(attemptOf(run, id)?.outcome).toBe('failed');
    }
    for (const run of runs.filter((each) => each.result.status === 'answered')) {
      const last = run.result.generation!.attempts.at(-1)!;
      expect(last).toMatchObject({ modelId: run.result.model, outcome: 'succeeded' });
    }

    // Every request the providers received is an attempt in the result of the run that made it:
    // per run and provider, the requests are the attempts (less one a circuit refused); a success
    // was answered by a healthy request and took at least one attempt per fault before it, and a
    // failure made no more requests than attempts. (A healthy request can still fail: on a loaded
    // machine its response may miss the request timeout. Those are counted, not forbidden.)
    const mismatches: string[] = [];
    let attemptedRequests = 0;
    let healthyButFailed = 0;
    for (const run of runs) {
      const tag = String(run.index);
      for (const { id, protocol } of stormModels) {
        const attempt = attemptOf(run, id);
        const requests = proxy.requestsOf(tag, protocol);
        const expected = attempt ? requestsOfAttempt(attempt) : 0;
        attemptedRequests += expected;
        const faults = requests.filter((request) => request.fault !== 'none').length;
        const succeeded = attempt?.outcome === 'succeeded';
        healthyButFailed += requests.length - faults - (succeeded ? 1 : 0);
        // A model given up on a fault is recorded with that fault's type: a hang as ProviderTimeout, from
        // the provider call's own timeout (a start-to-close timeout would read Timeout:START_TO_CLOSE).
        const lastFault = requests.at(-1)?.fault;
        const classified = succeeded || attempt?.errorType === 'CircuitOpen' || !lastFault || lastFault === 'none' ||
          attempt?.errorType === failureTypeOf[lastFault];
        const consistent = requests.length === expected && classified &&
          (!succeeded || (lastFault === 'none' && attempt.attempts >= faults + 1));
        if (!consistent) {
          mismatches.push(`run ${tag} ${id}: ${JSON.stringify(attempt)} vs ${requests.map((r) => r.fault).join(',')}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(attemptedRequests).toBe(proxy.requests.length);
    expect(proxy.requestsOf('untagged', 'openai')).toEqual([]);
    // Both protocols were failed and answered (the Anthropic model sees only the runs the OpenAI one could not answer).
    const anthropic = proxy.requests.filter((request) => request.protocol === 'anthropic');
    expect(anthropic.some((request) => request.fault !== 'none')).toBe(true);
    expect(anthropic.some((request) => request.fault === 'none')).toBe(true);

    const fellBack = runs.filter((run) => run.result.generation!.fallbacks > 0).length;
    const retried = runs.filter((run) => run.result.generation!.attempts.some((attempt) => attempt.attempts > 1));
    // Reported, not asserted (a lower bound on a delay, but still a clock): the shortest wait before
    // the next request of the same run and provider after each kind of 429.
    const shortestRetryGapMs = (fault: StormFault): number | null => {
      const gaps = proxy.requests.filter((request) => request.fault === fault).flatMap((request) => {
        const next = proxy.requestsOf(request.run, request.protocol)[request.index + 1];
        return next ? [Math.round(next.receivedAt - request.receivedAt)] : [];
      });
      return gaps.length > 0 ? Math.min(...gaps) : null;
    };
    const circuitRefusals = runs.flatMap((run) => run.result.generation!.attempts)
      .filter((attempt) => attempt.errorType === 'CircuitOpen').length;
    process.stderr.write(`${JSON.stringify({
      storm: {
        seconds, answers: runs.length, requests: proxy.requests.length, anthropicRequests: anthropic.length,
        faultShare: Number(share.toFixed(3)), answered: runs.length - degraded.length, degraded: degraded.length,
        fellBack, retried: retried.length, circuitRefusals, healthyButFailed,
        shortestRetryGapMs: {
          retryAfter1s: shortestRetryGapMs('rate-limit-seconds'), retryAfterMs300: shortestRetryGapMs('rate-limit-ms'),
        },
      },
    })}\n`);
    // Retries and the fallback carry nearly every answer: degraded needs both providers to fail one run.
    expect(retried.length).toBeGreaterThan(stormAnswers / 10);
    expect(fellBack).toBeGreaterThan(0);
    expect(degraded.length / runs.length).toBeLessThanOrEqual(0.05);
  });

  it('answers degraded from the extractive model within the catalog\'s bound when every provider is down, ' +
    'and the breakers\' opening shows', async () => {
    proxy.clearLog().setStorm({ failureRate: 1, faults: ['server-error', 'reset'] });
    stack.breakers.resetAll();
    const logsBefore = workerLogs().length;
    const started = performance.now();
    const runs = await stack.askMany(1_000, 40, 10);
    const logs = workerLogs().slice(logsBefore);
    const failureLines = logs.filter((line) => line.msg === 'model call failed');
    // The breaker's state after each failure, per provider, in order (runs of one state collapsed).
    const breakerStates = stormModels.map(({ provider }) => `${provider}: ${failureLines
      .filter((line) => line.provider === provider).map((line) => line.breaker ?? '-')
      .filter((state, index, states) => index === 0 || state !== states[index - 1]).join(' > ')}`);
    // Each run's time from start to close, from the server's own record.
    const elapsedMs = await Promise.all(runs.map(async (run) => {
      const description = await env.client.workflow.getHandle(run.workflowId).describe();
      return description.closeTime!.getTime() - description.startTime.getTime();
    }));
    const boundMs = modelStepBoundMs(stack.catalog) + pipelineAllowanceMs;
    process.stderr.write(`${JSON.stringify({
      outage: {
        seconds: Math.round((performance.now() - started) / 100) / 10, answers: runs.length,
        degraded: runs.filter((run) => run.result.status === 'degraded').length, requests: proxy.requests.length,
        longestRunMs: Math.max(...elapsedMs), boundMs, breakerStates,
      },
    })}\n`);

    for (const run of runs) {
      expect(run.result).toMatchObject({ status: 'degraded', model: 'extractive', degraded: true });
      expect(run.result.answer).toMatch(/\[1\]/);
      expect(run.result.generation!.attempts).toEqual([
        expect.objectContaining({ modelId: 'gpt-mini', outcome: 'failed' }),
        expect.objectContaining({ modelId: 'claude-haiku', outcome: 'failed' }),
      ]);
    }
    // Within the bound the catalog's timeouts and retries give (plus the rest of the pipeline's allowance).
    expect(Math.max(...elapsedMs)).toBeLessThanOrEqual(boundMs);
    // Nothing reached a provider but failed.
    expect(proxy.requests.every((request) => request.fault === 'server-error' || request.fault === 'reset'))
      .toBe(true);

    // The breakers opened: later runs were refused at once (CircuitOpen, in each result and its
    // history) and made fewer requests than attempts; the workers' logs say `breaker: open`.
    const all = runs.flatMap((run) => run.result.generation!.attempts);
    for (const { id, provider } of stormModels) {
      const refusals = all.filter((attempt) => attempt.modelId === id && attempt.errorType === 'CircuitOpen');
      const refused = new RegExp(`circuit for provider ${provider} is open`);
      expect(refusals.length).toBeGreaterThan(0);
      expect(refusals[0]!.message).toMatch(refused);
      // `model call failed` carries the breaker's state after each failure: closed, until the one that opened it.
      const states = failureLines.filter((line) => line.provider === provider).map((line) => line.breaker);
      expect(states[0]).toBe('closed');
      expect(states).toContain('open');
      // A refusal is not a `model call failed` line; the SDK's own `Activity failed` line carries its message.
      const refusalLines = logs.filter((line) => line.msg === 'Activity failed' &&
        line.taskQueue === refusals[0]!.taskQueue && refused.test(line.error?.message ?? ''));
      expect(refusalLines.length).toBeGreaterThan(0);
    }
    const attempted = all.reduce((sum, attempt) => sum + requestsOfAttempt(attempt), 0);
    expect(attempted).toBe(proxy.requests.length);
    expect(proxy.requests.length).toBeLessThan(all.reduce((sum, attempt) => sum + attempt.attempts, 0));

    // Healed: once openMs has passed, a probe goes through, succeeds and closes the circuit.
    proxy.setStorm({ failureRate: 0 });
    await sleep(breaker.openMs + 500);
    const [probe, after] = await stack.askMany(2_000, 2, 1);
    expect(probe!.result).toMatchObject({ status: 'answered', model: 'gpt-mini', degraded: false });
    expect(after!.result).toMatchObject({ status: 'answered', model: 'gpt-mini', degraded: false });
  });
});
