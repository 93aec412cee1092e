import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createBudgetActivities } from '../../activities/cost/budget-activities';
import { setBudget, showBudget, updateBudgetLedger } from '../../client/budget-client';
import { InvalidRequestError } from '../../client/errors';
import type {
  BudgetLedgerInputFields, BudgetView, ReserveBudgetRequest, ReserveBudgetResult, SettleBudgetResult,
} from '../../contracts/budget';
import { messageNames, workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startTestServer } from '../helpers/temporal-env';
import { settleNowSignal, type BudgetCallInput, type budgetCallWorkflow } from './budget-fixture-workflow';

const taskQueue = 'sluice-orchestration';
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('budget ledger on the real Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: { code: string };
  let worker: Worker;
  let running: Promise<void>;
  /** Keys whose next reserve (or settle) attempt is applied, then fails as if its reply were lost. */
  const loseReplyOnce = { reserve: new Set<string>(), settle: new Set<string>() };

  const budgetActivities = () => {
    const real = createBudgetActivities();
    const lossy = <Result>(keys: Set<string>, call: (raw: unknown) => Promise<Result>) =>
      async (raw: unknown): Promise<Result> => {
        const result = await call(raw);
        if (keys.delete((raw as { key: string }).key)) throw ApplicationFailure.retryable('reply lost', 'ReplyLost');
        return result;
      };
    return {
      reserveBudget: lossy(loseReplyOnce.reserve, real.reserveBudget),
      settleBudget: lossy(loseReplyOnce.settle, real.settleBudget),
    };
  };
  const startBudgetWorker = async (): Promise<void> => {
    worker = await Worker.create({
      connection: env.nativeConnection as NativeConnection, namespace: env.namespace ?? 'default', taskQueue,
      workflowBundle, activities: budgetActivities(), maxConcurrentActivityTaskExecutions: 100,
    });
    running = worker.run();
  };
  const stopBudgetWorker = async (): Promise<void> => {
    worker.shutdown();
    await running;
  };

  beforeAll(async () => {
    env = await startTestServer();
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./budget-fixture-workflow'), logger: silent,
    });
    await startBudgetWorker();
  });

  afterAll(async () => {
    if (worker) await stopBudgetWorker();
    await env?.teardown();
  });

  const call = (input: BudgetCallInput, workflowId = `call-${input.tenant}-${input.key}`) =>
    env.client.workflow.execute<typeof budgetCallWorkflow>('budgetCallWorkflow', {
      taskQueue, workflowId, args: [input],
    });
  const callOf = (tenant: string, key: string, tokens: number, microUsd = 0, feature = 'qa'): BudgetCallInput => ({
    tenant, feature, key, estimateTokens: tokens, estimateMicroUsd: microUsd,
    usedTokens: tokens, usedMicroUsd: microUsd,
  });
  /** Starts a tenant's ledger with small bounds, as tests need them. */
  const startLedger = (fields: BudgetLedgerInputFields) =>
    env.client.workflow.start(workflowTypes.budget, {
      taskQueue, workflowId: workflowIds.budget(fields.tenant), args: [fields],
    });
  const reserve = (request: ReserveBudgetRequest, updateId: string) =>
    updateBudgetLedger(env.client, request.tenant, messageNames.reserveBudgetUpdate, request, updateId) as
      Promise<ReserveBudgetResult>;
  const settle = (tenant: string, key: string, usedTokens: number, updateId: string, usedMicroUsd = 0) =>
    updateBudgetLedger(env.client, tenant, messageNames.settleBudgetUpdate, {
      tenant, key, usedTokens, usedMicroUsd,
    }, updateId) as Promise<SettleBudgetResult>;
  const scopeOf = (view: BudgetView, scope: string) => view.scopes.find((entry) => entry.scope === scope)!;

  it('sets and shows a budget, merging a feature limit into the tenant limit', async () => {
    expect((await showBudget(env.client, 'initech')).scopes).toEqual([]);
    await setBudget(env.client, 'initech', { tenant: { period: 'day', maxTokens: 10_000, maxMicroUsd: 1_500_000 } });
    await setBudget(env.client, 'initech', { features: { qa: { period: 'hour', maxTokens: 500 } } });
    const view = await showBudget(env.client, 'initech');
    expect(view.limits).toEqual({
      tenant: { period: 'day', maxTokens: 10_000, maxMicroUsd: 1_500_000 },
      features: { qa: { period: 'hour', maxTokens: 500 } },
    });
    expect(scopeOf(view, 'feature:qa')).toMatchObject({ period: 'hour', usedTokens: 0, reservedTokens: 0 });
    // A tenant with no limits grants everything, and still counts what it used.
    const free = await call(callOf('free', 'k1', 1_000_000, 5_000_000));
    expect(free.reserve.granted).toBe(true);
    expect(scopeOf(await showBudget(env.client, 'free'), 'tenant')).toMatchObject({
      usedTokens: 1_000_000, usedMicroUsd: 5_000_000, reservedTokens: 0,
    });
  });

  it('grants a reservation that fits, then refuses one over budget with a reason naming the scope', async () => {
    const tenant = 'globex';
    await setBudget(env.client, tenant, {
      tenant: { period: 'day', maxMicroUsd: 1_000_000 }, features: { qa: { period: 'day', maxTokens: 100 } },
    });
    const first = await reserve({ tenant, feature: 'qa', key: 'a', estimateTokens: 60, estimateMicroUsd: 10 }, 'a');
    expect(first).toMatchObject({ granted: true, duplicate: false });
    expect(first.remaining).toEqual([
      { scope: 'tenant', period: 'day', microUsd: 999_990 }, { scope: 'feature:qa', period: 'day', tokens: 40 },
    ]);
    const overFeature = await reserve({
      tenant, feature: 'qa', key: 'b', estimateTokens: 50, estimateMicroUsd: 10,
    }, 'b');
    expect(overFeature.granted).toBe(false);
    expect(overFeature.reason).toBe(
      'budget of feature qa of tenant globex exceeded: 50 tokens estimated, 40 of 100 left this day',
    );
    // Another feature is not held by qa's limit, but by the tenant's money.
    const overTenant = await reserve({
      tenant, feature: 'summarise', key: 'c', estimateTokens: 50, estimateMicroUsd: 2_000_000,
    }, 'c');
    expect(overTenant.reason).toBe(
      'budget of tenant globex exceeded: $2.00 estimated, $0.99999 of $1.00 left this day',
    );
    // Through the activities, as a pipeline runs them.
    const refused = await call(callOf(tenant, 'd', 41));
    expect(refused.reserve).toMatchObject({ granted: false, duplicate: false });
    expect(refused.settle).toBeUndefined();
  });

  it('settles exactly once per key, and answers a repeated reserve with the first decision', async () => {
    const tenant = 'hooli';
    await setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: 1_000 } });
    const request = { tenant, feature: 'qa', key: 'once', estimateTokens: 100, estimateMicroUsd: 0 };
    const granted = await reserve(request, 'u1');
    // Another update id (as after continue-as-new, when the server no longer knows the first one).
    const again = await reserve(request, 'u2');
    expect(again).toEqual({ ...granted, duplicate: true });
    expect(scopeOf(await showBudget(env.client, tenant), 'tenant').reservedTokens).toBe(100);
    const settled = await settle(tenant, 'once', 80, 's1');
    expect(settled).toMatchObject({ released: true, duplicate: false });
    expect(await settle(tenant, 'once', 80, 's2')).toMatchObject({ duplicate: true });
    // After settling, the same key reserves nothing either.
    expect(await reserve(request, 'u3')).toMatchObject({ granted: true, duplicate: true });
    expect(scopeOf(await showBudget(env.client, tenant), 'tenant')).toMatchObject({
      usedTokens: 80, reservedTokens: 0,
    });
  });

  it('counts a call once when its activities lose their replies and are retried', async () => {
    const tenant = 'pied';
    await setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: 1_000 } });
    loseReplyOnce.reserve.add('lossy');
    const result = await call(callOf(tenant, 'lossy', 300));
    expect(result.reserve).toMatchObject({ granted: true });
    expect(loseReplyOnce.reserve.has('lossy')).toBe(false);
    // The settle's first attempt is applied and then "lost"; its retry must count nothing.
    loseReplyOnce.settle.add('lossy-settle');
    await call(callOf(tenant, 'lossy-settle', 200));
    expect(loseReplyOnce.settle.has('lossy-settle')).toBe(false);
    const view = scopeOf(await showBudget(env.client, tenant), 'tenant');
    expect(view).toMatchObject({ usedTokens: 500, reservedTokens: 0 });
  });

  it('keeps 64 concurrent reservations against a nearly spent budget within one estimate', async () => {
    const tenant = 'crowd';
    const limit = 1_000;
    const estimate = 30;
    await setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: limit } });
    await settle(tenant, 'earlier', 900, 'earlier');
    const results = await Promise.all(Array.from({ length: 64 }, (_, index) => call({
      ...callOf(tenant, `c${index}`, estimate),
      // Each call uses exactly its estimate, so any overspend would come from reserving too much.
      usedTokens: estimate,
    })));
    const granted = results.filter((result) => result.reserve.granted);
    // 900 + 3 × 30 = 990 fits; a fourth would make 1020.
    expect(granted).toHaveLength(Math.floor((limit - 900) / estimate));
    for (const refused of results.filter((result) => !result.reserve.granted)) {
      expect(refused.reserve.reason).toMatch(/^budget of tenant crowd exceeded: 30 tokens estimated, \d+ of 1000 left/);
    }
    const used = scopeOf(await showBudget(env.client, tenant), 'tenant').usedTokens;
    expect(used).toBe(900 + granted.length * estimate);
    expect(used - limit).toBeLessThanOrEqual(estimate);
  });

  it('releases a reservation never settled after its bound, and still counts a late settle once', async () => {
    const tenant = 'expiring';
    await startLedger({ tenant, reservationTtlMs: 1_500 });
    await setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: 100 } });
    const request = (key: string, estimateTokens: number) =>
      ({ tenant, feature: 'qa', key, estimateTokens, estimateMicroUsd: 0 });
    expect(await reserve(request('stuck', 80), 'stuck')).toMatchObject({ granted: true });
    expect(await reserve(request('blocked', 50), 'blocked')).toMatchObject({ granted: false });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await reserve(request('after', 50), 'after')).toMatchObject({ granted: true });
    expect((await showBudget(env.client, tenant)).openReservations).toBe(1);
    const late = await settle(tenant, 'stuck', 70, 'late');
    expect(late).toMatchObject({ released: false, duplicate: false });
    expect(await settle(tenant, 'stuck', 70, 'late-again')).toMatchObject({ duplicate: true });
    expect(scopeOf(await showBudget(env.client, tenant), 'tenant')).toMatchObject({
      usedTokens: 70, reservedTokens: 50,
    });
  });

  it('refuses a budget that does not parse with a message naming the field, and keeps the ledger', async () => {
    const tenant = 'strict';
    await setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: 100 } });
    await settle(tenant, 'k', 40, 'k');
    await expect(setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: -5 } }))
      .rejects.toThrow(new InvalidRequestError('limits.tenant.maxTokens: must not be negative'));
    await expect(setBudget(env.client, tenant, { features: { qa: { period: 'day', maxMicroUsd: 1e18 } } }))
      .rejects.toThrow('limits.features.qa.maxMicroUsd: must be at most 1000000000000000');
    await expect(setBudget(env.client, tenant, { tenant: { period: 'week' as 'day', maxTokens: 1.5 } }))
      .rejects.toThrow(/limits\.tenant\.period: .*limits\.tenant\.maxTokens: must be a whole number/);
    await expect(setBudget(env.client, tenant, { tenant: { period: 'day' } }))
      .rejects.toThrow('limits.tenant: set maxTokens, maxMicroUsd or both');
    // Sent past the client's check, the ledger's validator refuses it before it enters history.
    const refused = updateBudgetLedger(env.client, tenant, messageNames.setBudgetUpdate, {
      tenant, limits: { tenant: { period: 'day', maxTokens: -1 } },
    }, 'raw');
    await expect(refused).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(refused)
      .rejects.toMatchObject({ cause: { message: 'limits.tenant.maxTokens: must not be negative' } });
    const view = await showBudget(env.client, tenant);
    expect(view.limits.tenant).toEqual({ period: 'day', maxTokens: 100 });
    expect(scopeOf(view, 'tenant').usedTokens).toBe(40);
    // An activity given a bad settle fails at once, naming the field, and counts nothing.
    const bad = call({ ...callOf(tenant, 'neg', 1), usedTokens: -3 });
    await expect(bad).rejects.toMatchObject({
      cause: { cause: { type: 'InvalidInput', message: 'usedTokens: must not be negative' } },
    });
    expect(scopeOf(await showBudget(env.client, tenant), 'tenant'))
      .toMatchObject({ usedTokens: 40, reservedTokens: 1 });
  });

  it('continues as new with its usage, limits, reservations and keys', async () => {
    const tenant = 'longlived';
    const handle = await startLedger({ tenant, maxHistoryLength: 12 });
    await setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: 1_000 } });
    const request = (key: string) => ({ tenant, feature: 'qa', key, estimateTokens: 100, estimateMicroUsd: 0 });
    for (let index = 0; index < 6; index += 1) {
      await reserve(request(`k${index}`), `r${index}`);
      await settle(tenant, `k${index}`, 50, `s${index}`);
    }
    await reserve(request('open'), 'open');
    const { runId } = await env.client.workflow.getHandle(workflowIds.budget(tenant)).describe();
    expect(runId).not.toBe(handle.firstExecutionRunId);
    // Keys decided by an earlier run are still known.
    expect(await settle(tenant, 'k0', 50, 'after-can')).toMatchObject({ duplicate: true });
    const view = await showBudget(env.client, tenant);
    expect(view.limits.tenant).toEqual({ period: 'day', maxTokens: 1_000 });
    expect(scopeOf(view, 'tenant')).toMatchObject({ usedTokens: 300, reservedTokens: 100 });
  });

  it('settles once after the worker that reserved stops and another takes over', async () => {
    const tenant = 'survivor';
    await setBudget(env.client, tenant, { tenant: { period: 'day', maxTokens: 1_000 } });
    const workflowId = 'call-survivor';
    const handle = await env.client.workflow.start<typeof budgetCallWorkflow>('budgetCallWorkflow', {
      taskQueue, workflowId, args: [{ ...callOf(tenant, 'crossing', 250), waitBeforeSettle: true }],
    });
    await waitFor(async () => scopeOf(await showBudget(env.client, tenant), 'tenant').reservedTokens === 250);
    await stopBudgetWorker();
    await startBudgetWorker();
    await handle.signal(settleNowSignal);
    const result = await handle.result();
    expect(result.reserve).toMatchObject({ granted: true, duplicate: false });
    expect(result.settle).toMatchObject({ released: true, duplicate: false });
    expect(scopeOf(await showBudget(env.client, tenant), 'tenant')).toMatchObject({
      usedTokens: 250, reservedTokens: 0,
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
