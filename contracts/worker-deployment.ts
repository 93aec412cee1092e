// Worker versioning (Temporal Worker Deployments): which build a worker process is, read from the
// environment, and how each workflow type behaves when a new build becomes current. Versioning is off
// unless SLUICE_BUILD_ID is set, so one machine (`npm start`) and older setups run as they always did.
// Values are checked here because the server is silent about some bad ones: a deployment name with a
// `.` fails every poll and a build id starting with `__` is never registered, while the worker keeps running.
import { z } from 'zod';
import { parseEnvironment } from './config';
import type { workflowTypes } from './workflow-types';

/** Temporal's versioning behaviours, spelt as the SDK spells them. */
export const versioningBehaviors = { pinned: 'PINNED', autoUpgrade: 'AUTO_UPGRADE' } as const;
export type VersioningBehaviorName = (typeof versioningBehaviors)[keyof typeof versioningBehaviors];

/**
 * How each workflow type moves to a new build; each workflow file declares its entry (workflows/versioning.ts),
 * and a unit test checks that every exported workflow does.
 * - PINNED: a run ends on the build it started on, so a new build needs no `patched()` for it. Every run
 *   here is finite, but an answer may wait days for a reviewer (its deadline), and ingest continues as
 *   new and starts children, which stay on the same build.
 * - AUTO_UPGRADE: the per-tenant budget ledger lives for ever (continue-as-new); pinned, it would keep an old
 *   build alive for good. It moves to the current build at its next workflow task, so changes to it still go
 *   behind `patched()` and are proven by the replay tests.
 */
export const workflowVersioning: Record<keyof typeof workflowTypes, VersioningBehaviorName> = {
  answer: versioningBehaviors.pinned,
  backtestGates: versioningBehaviors.pinned,
  ingest: versioningBehaviors.pinned,
  ingestBatch: versioningBehaviors.pinned,
  deleteDocuments: versioningBehaviors.pinned,
  generate: versioningBehaviors.pinned,
  recordFeedback: versioningBehaviors.pinned,
  feedbackReport: versioningBehaviors.pinned,
  budget: versioningBehaviors.autoUpgrade,
};

/**
 * The worker default, for runs whose declaration cannot apply: those started before versioning was turned on (see
 * workflows/versioning.ts). The server moves such runs to the current build like auto-upgrade ones, and a budget
 * ledger among them must keep moving; pinned, it would hold the first versioned build for ever.
 */
export const defaultVersioningBehavior: VersioningBehaviorName = versioningBehaviors.autoUpgrade;

// Temporal names a version `<deployment>.<build id>` and reserves names starting with `__`.
const notReserved = (value: string): boolean => !value.startsWith('__');

export const workerDeploymentConfigSchema = z.object({
  /** The Worker Deployment every Sluice worker joins, whatever its task queue. */
  deploymentName: z.string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, _ and - (no dot)')
    .refine(notReserved, 'must not start with __ (reserved by Temporal)')
    .default('sluice'),
  /** This process's build, e.g. the image tag or git commit. @default unset: versioning off */
  buildId: z.string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, ., _ and -')
    .refine(notReserved, 'must not start with __ (reserved by Temporal)')
    .optional(),
});
export type WorkerDeploymentConfig = z.infer<typeof workerDeploymentConfigSchema>;

export const workerDeploymentEnvironmentVariables: Record<keyof WorkerDeploymentConfig, string> = {
  deploymentName: 'SLUICE_DEPLOYMENT_NAME',
  buildId: 'SLUICE_BUILD_ID',
};

/** Reads and validates the settings; a ConfigError names the variable at fault. */
export function loadWorkerDeploymentConfig(environment: Record<string, string | undefined>): WorkerDeploymentConfig {
  return parseEnvironment(workerDeploymentConfigSchema, workerDeploymentEnvironmentVariables, environment);
}
