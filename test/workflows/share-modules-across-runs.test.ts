import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type NativeConnection, Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareModulesAcrossRuns } from '../../workers/share-modules-across-runs.cjs';
import { buildWorkflowBundle, workflowBundlePath } from '../helpers/workflow-bundle';
import { startTestServer } from '../helpers/temporal-env';

const fixture = join(__dirname, 'shared-modules-fixture');
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('modules shared across workflow runs', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startTestServer();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  async function twoRuns(webpackConfigHook?: ReturnType<typeof shareModulesAcrossRuns>): Promise<number[]> {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: join(fixture, 'count-workflow.ts'), logger: silent,
      ...(webpackConfigHook ? { webpackConfigHook } : {}),
    });
    const taskQueue = `shared-modules-${webpackConfigHook ? 'on' : 'off'}`;
    const worker = await Worker.create({
      connection: env.nativeConnection as NativeConnection, namespace: env.namespace ?? 'default',
      taskQueue, workflowBundle,
    });
    return worker.runUntil(async () => {
      const counts: number[] = [];
      for (const run of [1, 2]) {
        counts.push(await env.client.workflow.execute<() => Promise<number>>('countWorkflow', {
          taskQueue, workflowId: `${taskQueue}-${run}-${Date.now()}`,
        }));
      }
      return counts;
    });
  }

  it('evaluates a module of the shared directories once for every run of a worker', async () => {
    expect(await twoRuns(shareModulesAcrossRuns([join(fixture, 'shared')]))).toEqual([1, 2]);
  });

  it('evaluates every module again for each run without the plugin (the SDK\'s isolation)', async () => {
    expect(await twoRuns()).toEqual([1, 1]);
  });

  it('refuses to bundle a shared module that imports a per-run module, naming both', async () => {
    const errors: string[] = [];
    const record = (message: string, meta?: unknown) => errors.push(`${message} ${JSON.stringify(meta)}`);
    const logger = { ...silent, error: record };
    await expect(bundleWorkflowCode({
      workflowsPath: join(fixture, 'leaky-workflow.ts'), logger,
      webpackConfigHook: shareModulesAcrossRuns([join(fixture, 'shared')]),
    })).rejects.toThrow(/Webpack finished with errors/);
    expect(errors.join('\n'))
      .toMatch(/imports-workflow\.ts is shared across workflow runs but imports .*@temporalio.*workflow/);
  });

  it('shares zod and contracts/ in the bundle Sluice\'s workers run', async () => {
    await buildWorkflowBundle();
    const code = readFileSync(workflowBundlePath, 'utf8');
    const shared = /sharedAcrossRuns \?\?= \{ ids: new Set\((\[[^\]]*\])\)/.exec(code);
    const ids = JSON.parse(shared?.[1] ?? '[]') as string[];
    // Ids are paths from the bundler's context (a linked node_modules makes zod's longer).
    const ofContracts = (id: string) => /(^|\/)contracts\/[\w-]+\.ts$/.test(id);
    const ofZod = (id: string) => /(^|\/)node_modules\/zod\//.test(id);
    expect(ids.some((id) => id.endsWith('contracts/answer.ts'))).toBe(true);
    expect(ids.some((id) => id.endsWith('node_modules/zod/v4/core/core.js'))).toBe(true);
    expect(ids.filter((id) => !ofContracts(id) && !ofZod(id))).toEqual([]);
  });
});
