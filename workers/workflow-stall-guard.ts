// What guards this process's workflow thread against workflow code that never returns, for the start-up log:
// workers/workflow-thread-guard.cjs when it was preloaded (`--require`, as npm start and the k8s start script do),
// else the SDK's per-call timeout, whatever SLUICE_WORKFLOW_STALL_GUARD says.
import type { WorkflowStallGuardSettings } from './workflow-thread-guard.cjs';

const guardModule = require.resolve('./workflow-thread-guard.cjs');

type GuardModule = typeof import('./workflow-thread-guard.cjs');

export type WorkflowStallGuardDescription =
  | { workflowStallGuard: 'process'; stallExitMs: number; quarantinedRuns: number; stallsFile: string }
  | { workflowStallGuard: 'call'; note?: string };

export function describeWorkflowStallGuard(env: Record<string, string | undefined>): WorkflowStallGuardDescription {
  const preloaded = require.cache[guardModule]?.exports as GuardModule | undefined;
  if (!preloaded) {
    return { workflowStallGuard: 'call', note: 'workers/workflow-thread-guard.cjs is not preloaded: the SDK guards each call' };
  }
  // The preload refused bad settings before this process got here.
  const settings = preloaded.readSettings(env) as WorkflowStallGuardSettings;
  if (settings.mode === 'call') return { workflowStallGuard: 'call' };
  return {
    workflowStallGuard: 'process', stallExitMs: settings.exitAfterMs, stallsFile: settings.stallsFile,
    quarantinedRuns: preloaded.readStalledRuns(settings.stallsFile).size,
  };
}
