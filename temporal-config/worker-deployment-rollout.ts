// Reads and moves a Worker Deployment's routing (which build new runs go to) through the workflow service, for
// scripts/worker-deployment.ts and its test. Each move first describes the deployment, so a repeated command
// changes nothing and says so, and passes the describe's conflict token, so it never overwrites a change made
// by someone else in between. Refusals are RolloutError with one line naming the deployment and the build.
import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';

/** Thrown when a rollout step cannot be taken; the message is one line for the operator. */
export class RolloutError extends Error {
  override readonly name = 'RolloutError';
}

/** A version's place in the rollout, from the server's version status. */
export type VersionState = 'inactive' | 'current' | 'ramping' | 'draining' | 'drained' | 'created' | 'unknown';

export interface DeploymentVersionView {
  buildId: string;
  state: VersionState;
  createdAt?: Date;
  /** When the server last counted the version's open pinned runs (draining and drained versions). */
  drainageCheckedAt?: Date;
}

export interface DeploymentView {
  name: string;
  /** Undefined while new runs go to unversioned workers. */
  currentBuildId?: string;
  rampingBuildId?: string;
  rampingPercent: number;
  /** True while the server is still handing a routing change to the task queues. */
  propagating: boolean;
  /** Newest first. */
  versions: DeploymentVersionView[];
  conflictToken: Uint8Array;
}

/** What a move did: `changed` is false when the deployment was already so. */
export interface RolloutOutcome {
  changed: boolean;
  before: DeploymentView;
}

type VersionSummary = temporal.api.deployment.v1.WorkerDeploymentInfo.WorkerDeploymentVersionSummary.$Properties;
type DeploymentVersion = temporal.api.deployment.v1.WorkerDeploymentVersion.$Properties;

const statusPrefix = 'WORKER_DEPLOYMENT_VERSION_STATUS_';
const statusNames = new Map(Object.entries(temporal.api.enums.v1.WorkerDeploymentVersionStatus)
  .map(([name, value]) => [value as number, name.slice(statusPrefix.length).toLowerCase()]));
const knownStates: readonly string[] = ['inactive', 'current', 'ramping', 'draining', 'drained', 'created'];

function stateOf(status: number | null | undefined): VersionState {
  const name = statusNames.get(status ?? 0) ?? 'unknown';
  return knownStates.includes(name) ? (name as VersionState) : 'unknown';
}

const inProgress = temporal.api.enums.v1.RoutingConfigUpdateState.ROUTING_CONFIG_UPDATE_STATE_IN_PROGRESS;
// 5: NOT_FOUND, the deployment has never had a versioned poller (or was deleted).
const notFound = 5;

const identity = `sluice-rollout@${process.env.HOSTNAME ?? 'cli'}`;

/** The build id of a routing target; `__unversioned__` (no version) is undefined. */
function buildIdOf(
  version: DeploymentVersion | null | undefined, legacy: string | null | undefined,
): string | undefined {
  if (version?.buildId) return version.buildId;
  if (!legacy || legacy === '__unversioned__') return undefined;
  return legacy.slice(legacy.indexOf('.') + 1);
}

function versionView(summary: VersionSummary): DeploymentVersionView {
  return {
    buildId: buildIdOf(summary.deploymentVersion, summary.version) ?? '(unversioned)',
    state: stateOf(summary.status),
    createdAt: optionalTsToDate(summary.createTime),
    drainageCheckedAt: optionalTsToDate(summary.drainageInfo?.lastCheckedTime),
  };
}

/** The deployment as the server has it, or undefined when no versioned worker has joined it yet. */
export async function describeDeployment(
  connection: Connection, namespace: string, deploymentName: string,
): Promise<DeploymentView | undefined> {
  try {
    const { workerDeploymentInfo: info, conflictToken } = await connection.workflowService.describeWorkerDeployment({
      namespace, deploymentName,
    });
    const routing = info?.routingConfig;
    const versions = (info?.versionSummaries ?? []).map(versionView)
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    return {
      name: deploymentName,
      currentBuildId: buildIdOf(routing?.currentDeploymentVersion, routing?.currentVersion),
      rampingBuildId: buildIdOf(routing?.rampingDeploymentVersion, routing?.rampingVersion),
      rampingPercent: routing?.rampingVersionPercentage ?? 0,
      propagating: info?.routingConfigUpdateState === inProgress,
      versions,
      conflictToken,
    };
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === notFound) return undefined;
    throw error;
  }
}

/** Describes the deployment and checks that `buildId` is one of its versions. */
async function describeWithBuild(
  connection: Connection, namespace: string, deploymentName: string, buildId: string,
): Promise<DeploymentView> {
  const view = await describeDeployment(connection, namespace, deploymentName);
  if (!view) {
    throw new RolloutError(
      `no worker deployment ${deploymentName} in namespace ${namespace}: start workers with SLUICE_BUILD_ID first`,
    );
  }
  if (!view.versions.some((version) => version.buildId === buildId)) {
    const known = view.versions.map((version) => version.buildId).join(', ') || 'none';
    throw new RolloutError(
      `build ${buildId} has no workers in deployment ${deploymentName} (known builds: ${known}); start them first`,
    );
  }
  return view;
}

/** A server refusal as one line, e.g. a new build whose workers do not poll every queue of the current one. */
async function refusedAsOneLine<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isGrpcServiceError(error)) throw new RolloutError(`${what}: refused by the server: ${error.details}`);
    throw error;
  }
}

/** Sends every new run (and every auto-upgrade workflow at its next task) to `buildId`; ends any ramp to it. */
export async function setCurrentBuild(
  connection: Connection, namespace: string, deploymentName: string, buildId: string,
): Promise<RolloutOutcome> {
  const before = await describeWithBuild(connection, namespace, deploymentName, buildId);
  if (before.currentBuildId === buildId) return { changed: false, before };
  await refusedAsOneLine(`set-current ${buildId}`, () => connection.workflowService.setWorkerDeploymentCurrentVersion({
    namespace, deploymentName, buildId, conflictToken: before.conflictToken, identity,
  }));
  return { changed: true, before };
}

/** Sends `percent` % of new runs (chosen by workflow id) to `buildId`, the rest to the current build. */
export async function rampBuild(
  connection: Connection, namespace: string, deploymentName: string, buildId: string, percent: number,
): Promise<RolloutOutcome> {
  if (!(Number.isFinite(percent) && percent >= 0 && percent <= 100)) {
    throw new RolloutError(`percent must be a number from 0 to 100, not ${percent}`);
  }
  const before = await describeWithBuild(connection, namespace, deploymentName, buildId);
  if (before.currentBuildId === buildId) {
    throw new RolloutError(`build ${buildId} is already current in deployment ${deploymentName}: nothing to ramp`);
  }
  if (before.rampingBuildId === buildId && before.rampingPercent === percent) return { changed: false, before };
  await refusedAsOneLine(`ramp ${buildId}`, () => connection.workflowService.setWorkerDeploymentRampingVersion({
    namespace, deploymentName, buildId, percentage: percent, conflictToken: before.conflictToken, identity,
  }));
  return { changed: true, before };
}

const stateNotes: Partial<Record<VersionState, string>> = {
  draining: 'pinned runs still open: keep its workers',
  drained: 'no open pinned runs: its workers can be scaled down',
  inactive: 'polling, takes no new runs',
};

/** The deployment as lines for a person: routing first, then each build, newest first. */
export function formatDeployment(view: DeploymentView, namespace: string): string[] {
  const ramping = view.rampingBuildId ? `${view.rampingBuildId} at ${view.rampingPercent}%` : 'none';
  const lines = [
    `deployment ${view.name} in namespace ${namespace}: current ${view.currentBuildId ?? 'unversioned workers'}, ` +
      `ramping ${ramping}${view.propagating ? ' (still reaching the task queues)' : ''}`,
  ];
  for (const version of view.versions) {
    const note = stateNotes[version.state];
    const checked = version.drainageCheckedAt ? `, checked ${version.drainageCheckedAt.toISOString()}` : '';
    const created = version.createdAt ? ` (first polled ${version.createdAt.toISOString()})` : '';
    lines.push(`  ${version.buildId}: ${version.state}${note ? ` (${note}${checked})` : ''}${created}`);
  }
  return lines;
}
