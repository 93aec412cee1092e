import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareModulesAcrossRuns } from '../../workers/share-modules-across-runs.cjs';
import { slimWorkflowBundle } from '../../workers/slim-workflow-bundle.cjs';

/** Where the workflow bundle built once per test run is written. */
export const workflowBundlePath = join(__dirname, '..', '..', '.data', 'test', 'workflow-bundle.js');

/**
 * Bundles workflows/ once, slimmed as a worker's bundle is; every workflow test loads this file instead of
 * re-bundling. `shareModules: false` gives the SDK's default (every run evaluates every module), a baseline
 * for benches.
 */
export async function buildWorkflowBundle(options: { shareModules?: boolean } = {}): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    ...(options.shareModules === false ? {} : { webpackConfigHook: shareModulesAcrossRuns() }),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  mkdirSync(join(workflowBundlePath, '..'), { recursive: true });
  // Written aside and renamed into place: a worker starting meanwhile never loads half a bundle.
  const partial = `${workflowBundlePath}.${process.pid}.tmp`;
  writeFileSync(partial, slimWorkflowBundle(code));
  renameSync(partial, workflowBundlePath);
}
