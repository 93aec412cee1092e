// Declares how runs of a workflow type move to a new build (the table and the reasons are in
// contracts/worker-deployment.ts). The declaration takes effect on versioned workers only: the SDK fails every
// workflow task of an unversioned worker (`npm start`, the tests, SLUICE_BUILD_ID unset) that names a behaviour.
// It names none in history, so it changes no command and old histories replay as before.
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { VersioningBehaviorName } from '../contracts/worker-deployment';

/**
 * Whether the run was (re)loaded by a task of a versioned worker. The SDK reads the options once, when it loads a
 * run: on replay that is the run's first task, so a run started before versioning was on declares nothing and takes
 * the worker default, as the server moves such runs like auto-upgrade ones.
 */
function loadedByVersionedWorker(): boolean {
  return Boolean(workflowInfo().currentDeploymentVersion?.deploymentName);
}

/** Sets the versioning behaviour of `workflow` on versioned workers. */
export function declareVersioning<Args extends unknown[], Result>(
  workflow: (...args: Args) => Promise<Result>, behavior: VersioningBehaviorName,
): void {
  setWorkflowOptions(() => (loadedByVersionedWorker() ? { versioningBehavior: behavior } : {}), workflow);
}
