import type { WorkflowHandle } from '@temporalio/client';
import { decodeVersioningBehavior } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ActivityDependencies } from '../../activities';
import { setBudget } from '../../client/budget-client';
import type { AnswerResult } from '../../contracts/answer';
import type { IngestResult } from '../../contracts/ingest';
import { taskQueues } from '../../contracts/task-queues';
import { loadWorkerDeploymentConfig } from '../../contracts/worker-deployment';
import { messageNames, workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { describeDeployment, type DeploymentView } from '../../temporal-config/worker-deployment-rollout';
import { createOrchestrationWorker } from '../../workers/orchestration-worker';
import { versionedWorkerOptions } from '../../workers/process-setup';
import { openTestDependencies, startTestServer } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';
import { reviewCatalog, waitForPendingReview } from './review-fixtures';

// Two builds of the orchestration worker side by side, as in a rollout: build A is current, an answer waits on it
// for a reviewer; build B comes up and is made current with the rollout script. New runs must go to B, the budget
// ledger (auto-upgrade) must move to B, and the waiting answer (pinned) must finish on A, which then drains.
// The server counts a version's open pinned runs every few minutes by default; here every second.

const root = join(__dirname, '..', '..');
const corpus = join(root, 'examples', 'corpus');
const question = 'What happens when a worker process crashes in the middle of an answer?';
const drainFast = {
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '"1s"',
  'matching.wv.VersionDrainageStatusRefreshInterval': '"1s"',
};

interface ScriptRun { code: number; stdout: string; stderr: string }

describe('worker versioning: a new build rolls out beside the old one', () => {
  let env: TestWorkflowEnvironment;
  let dependencies: ActivityDependencies;
  const builds = new Map<string, { worker: Worker; running: Promise<void> }>();
  let held: WorkflowHandle;

  /** `npm run temporal:deployment -- <args>`, run the way the npm script runs it. */
  const runScript = (args: string[]): Promise<ScriptRun> => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'worker-deployment.ts'), ...args], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SLUICE_TEMPORAL_ADDRESS: env.address, SLUICE_TEMPORAL_NAMESPACE: 'default' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  };
  const deployment = async (): Promise<DeploymentView | undefined> =>
    describeDeployment(env.connection, 'default', 'sluice');
  /** Polls the deployment until `ready` holds: versions register and drainage is counted asynchronously. */
  const waitForDeployment = async (ready: (view: DeploymentView) => boolean, what: string): Promise<DeploymentView> => {
    const until = Date.now() + 30_000;
    for (;;) {
      const view = await deployment();
      if (view && ready(view)) return view;
      if (Date.now() > until) throw new Error(`deployment never reached: ${what}; last: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  /** A worker of one build, configured as the entry points configure it from SLUICE_BUILD_ID. */
  const startBuild = async (buildId: string): Promise<void> => {
    const worker = await createOrchestrationWorker({
      connection: env.nativeConnection as NativeConnection, namespace: 'default', dependencies,
      workflowBundle: { codePath: workflowBundlePath },
      workerDeploymentOptions: versionedWorkerOptions(loadWorkerDeploymentConfig({ SLUICE_BUILD_ID: buildId })),
    });
    builds.set(buildId, { worker, running: worker.run() });
    await waitForDeployment((view) => view.versions.some((version) => version.buildId === buildId), `${buildId} polls`);
  };
  /** The build and behaviour the server holds for a run. */
  const versioning = async (handle: WorkflowHandle) => {
    const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
    return { buildId: info?.deploymentVersion?.buildId, behavior: decodeVersioningBehavior(info?.behavior) };
  };
  /** The build of every workflow task the run's history records as completed, in order. */
  const taskBuilds = async (handle: WorkflowHandle): Promise<string[]> =>
    ((await handle.fetchHistory()).events ?? []).flatMap((event) => {
      const completed = event.workflowTaskCompletedEventAttributes;
      return completed ? [completed.deploymentVersion?.buildId ?? 'unversioned'] : [];
    });
  const startAnswer = (requestId: string, route: string) =>
    env.client.workflow.start(workflowTypes.answer, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.answer('acme', requestId),
      args: [{ tenant: 'acme', requestId, route, userId: 'dave', question }],
    });
  const ledger = () => env.client.workflow.getHandle(workflowIds.budget('acme'));

  beforeAll(async () => {
    env = await startTestServer(drainFast);
    dependencies = { ...(await openTestDependencies()), modelCatalog: reviewCatalog() };
  });

  afterAll(async () => {
    for (const build of builds.values()) build.worker.shutdown();
    await Promise.all([...builds.values()].map((build) => build.running));
    await dependencies?.store.close();
    await env?.teardown();
  });

  it('build A polls, becomes current through the script, and takes the runs started then', async () => {
    await startBuild('build-a');
    const made = await runScript(['set-current', 'build-a']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('deployment sluice: current unversioned workers → build-a');
    const ingested = await env.client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest('acme', 'corpus'),
      args: [{ tenant: 'acme', ingestId: 'corpus', path: corpus }],
    }) as IngestResult;
    expect(ingested.ingestedDocuments).toBe(5);

    held = await startAnswer('held', 'reviewed');
    await waitForPendingReview(held);
    expect(await versioning(held)).toEqual({ buildId: 'build-a', behavior: 'PINNED' });
    await setBudget(env.client, 'acme', { tenant: { period: 'day', maxTokens: 1_000_000 } });
    expect(await versioning(ledger())).toEqual({ buildId: 'build-a', behavior: 'AUTO_UPGRADE' });
  });

  it('build B ramps, then becomes current; each step repeated changes nothing', async () => {
    await startBuild('build-b');
    const ramp = await runScript(['ramp', 'build-b', '25']);
    expect(ramp.code).toBe(0);
    expect(ramp.stdout).toContain('deployment sluice: ramping build-b at 25% (the rest to build-a)');
    expect((await runScript(['ramp', 'build-b', '25'])).stdout)
      .toContain('build-b is already ramping at 25%; nothing changed');

    const current = await runScript(['set-current', 'build-b']);
    expect(current.code).toBe(0);
    expect(current.stdout).toContain('deployment sluice: current build-a → build-b');
    const again = await runScript(['set-current', 'build-b']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('build-b is already current; nothing changed');
    // The answer waiting for review keeps build A from draining.
    expect(again.stdout).toMatch(/current build-b, ramping none/);
    expect(again.stdout).toMatch(/^ {2}build-a: draining \(pinned runs still open/m);
    await waitForDeployment((view) => !view.propagating, 'routing reaches the queue');
  });

  it('sends new runs to B, and moves the auto-upgrade ledger to B at its next update', async () => {
    const fresh = await startAnswer('fresh', 'default');
    expect((await fresh.result() as AnswerResult).status).toBe('answered');
    expect(await versioning(fresh)).toEqual({ buildId: 'build-b', behavior: 'PINNED' });
    expect(new Set(await taskBuilds(fresh))).toEqual(new Set(['build-b']));

    await setBudget(env.client, 'acme', { tenant: { period: 'day', maxTokens: 2_000_000 } });
    expect(await versioning(ledger())).toEqual({ buildId: 'build-b', behavior: 'AUTO_UPGRADE' });
    const ledgerTasks = await taskBuilds(ledger());
    expect(ledgerTasks[0]).toBe('build-a');
    expect(ledgerTasks.at(-1)).toBe('build-b');
  });

  it('finishes the pinned answer on A when it is decided after B became current, and A drains', async () => {
    // Build A's worker restarts while the answer waits (a pod replaced): the new one loads the run from its history,
    // and must still declare it pinned.
    const old = builds.get('build-a')!;
    old.worker.shutdown();
    await old.running;
    await startBuild('build-a');
    await held.executeUpdate(messageNames.reviewDecisionUpdate, { args: [{ decision: 'approve', reviewer: 'alice' }] });
    expect((await held.result() as AnswerResult).status).toBe('answered');
    expect(await versioning(held)).toEqual({ buildId: 'build-a', behavior: 'PINNED' });
    const tasks = await taskBuilds(held);
    expect(tasks.length).toBeGreaterThan(2);
    expect(new Set(tasks)).toEqual(new Set(['build-a']));

    await waitForDeployment(
      (view) => view.versions.find((version) => version.buildId === 'build-a')?.state === 'drained', 'A drained',
    );
    const status = await runScript(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^ {2}build-a: drained \(no open pinned runs: its workers can be scaled down/m);
    expect(status.stdout).toMatch(/^ {2}build-b: current/m);
  });

  it('refuses, in one line, a build that has no workers and a percent out of range', async () => {
    const unknown = await runScript(['set-current', 'build-z']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'worker-deployment: build build-z has no workers in deployment sluice (known builds: build-b, build-a); ' +
        'start them first\n',
    );
    const percent = await runScript(['ramp', 'build-a', '120']);
    expect(percent.code).toBe(1);
    expect(percent.stderr).toBe('worker-deployment: percent must be a number from 0 to 100, not 120\n');
    expect((await deployment())?.currentBuildId).toBe('build-b');
  });
});
