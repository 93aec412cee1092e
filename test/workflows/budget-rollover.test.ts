import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { BudgetView, BudgetViewRequest, ReserveBudgetResult } from '../../contracts/budget';
import { messageNames, workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startTimeSkippingServer } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';

// Periods roll over by workflow time, so the time-skipping server moves the ledger into the next hour.
describe('budget periods on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'budget-rollover';

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    worker = await Worker.create({
      connection: env.nativeConnection as NativeConnection, namespace: env.namespace ?? 'default', taskQueue,
      workflowBundle: { codePath: workflowBundlePath }, activities: {},
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('grants again once the period rolls over, and keeps the longer periods counting', async () => {
    const tenant = 'hourly';
    const handle = await env.client.workflow.start(workflowTypes.budget, {
      taskQueue, workflowId: workflowIds.budget(tenant), args: [{ tenant }],
    });
    await handle.executeUpdate(messageNames.setBudgetUpdate, {
      args: [{ tenant, limits: { tenant: { period: 'hour', maxTokens: 100 } } }],
    });
    const reserve = (key: string) => handle.executeUpdate<ReserveBudgetResult, [unknown]>(
      messageNames.reserveBudgetUpdate,
      { args: [{ tenant, feature: 'qa', key, estimateTokens: 100, estimateMicroUsd: 0 }] },
    );
    const settle = (key: string) => handle.executeUpdate(messageNames.settleBudgetUpdate, {
      args: [{ tenant, key, usedTokens: 100, usedMicroUsd: 0 }],
    });
    expect(await reserve('first')).toMatchObject({ granted: true });
    await settle('first');
    expect(await reserve('second')).toMatchObject({ granted: false });
    await env.sleep('61 minutes');
    expect(await reserve('third')).toMatchObject({ granted: true, remaining: [{ scope: 'tenant', tokens: 0 }] });
    await settle('third');
    const view = await handle.query<BudgetView>(messageNames.budgetStateQuery);
    expect(view.scopes.find((scope) => scope.scope === 'tenant')).toMatchObject({ period: 'hour', usedTokens: 100 });
    // A day limit set now sees both hours' usage (unless the skip crossed midnight UTC).
    const daily = await handle.executeUpdate<BudgetView, [unknown]>(messageNames.setBudgetUpdate, {
      args: [{ tenant, limits: { tenant: { period: 'day', maxTokens: 1_000 } } }],
    });
    const used = daily.scopes.find((scope) => scope.scope === 'tenant')!.usedTokens;
    expect(new Date(daily.asOf).getUTCHours() === 0 ? [100, 200] : [200]).toContain(used);
  });

  it('shows a quiet ledger\'s usage in the current period, as of the caller\'s time', async () => {
    const tenant = 'quiet';
    const handle = await env.client.workflow.start(workflowTypes.budget, {
      taskQueue, workflowId: workflowIds.budget(tenant), args: [{ tenant }],
    });
    await handle.executeUpdate(messageNames.setBudgetUpdate, {
      args: [{ tenant, limits: { tenant: { period: 'hour', maxTokens: 100 } } }],
    });
    await handle.executeUpdate(messageNames.settleBudgetUpdate, {
      args: [{ tenant, key: 'spent', usedTokens: 90, usedMicroUsd: 0 }],
    });
    const tenantScope = (view: BudgetView) => view.scopes.find((scope) => scope.scope === 'tenant');
    const before = await handle.query<BudgetView>(messageNames.budgetStateQuery);
    expect(tenantScope(before)).toMatchObject({ usedTokens: 90 });
    // Nothing touches the ledger for an hour: its workflow time stays at the settle.
    await env.sleep('61 minutes');
    const now = await env.currentTimeMs();
    const current = await handle.query<BudgetView, [BudgetViewRequest]>(messageNames.budgetStateQuery, { asOfMs: now });
    expect(tenantScope(current)).toMatchObject({ usedTokens: 0 });
    expect(Date.parse(current.asOf)).toBe(now);
    // Without the caller's time the view is the last update's: the hour already over.
    const stale = await handle.query<BudgetView>(messageNames.budgetStateQuery);
    expect(tenantScope(stale)).toMatchObject({ usedTokens: 90 });
    // A time before the last update never moves the view back.
    const early = await handle.query<BudgetView, [BudgetViewRequest]>(messageNames.budgetStateQuery, { asOfMs: 0 });
    expect(Date.parse(early.asOf)).toBe(Date.parse(stale.asOf));
  });
});
