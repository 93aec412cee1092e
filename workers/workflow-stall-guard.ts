// What guards this process's workflow thread against workflow code that never returns, for the start-up log:
// workers/workflow-thread-guard.cjs when it was preloaded (`--require`, as npm start and the k8s start script do),
// else the SDK's per-call timeout, whatever SLUICE_WORKFLOW_STALL_GUARD says. Beside it, whether the thread keeps
// stack traces for the `__stack_trace` query (SLUICE_WORKFLOW_STACK_TRACES, applied by the same preload).
import type { WorkflowStallGuardSettings } from './workflow-thread-guard.cjs';
import type { WorkflowStackTraces } from './workflow-stack-traces.cjs';

const guardModule = require.resolve('./workflow-thread-guard.cjs');
const stackTracesModule = require.resolve('./workflow-stack-traces.cjs');

type GuardModule = typeof import('./workflow-thread-guard.cjs');
type StackTracesModule = typeof import('./workflow-stack-traces.cjs');

export type WorkflowStallGuardDescription = { workflowStackTraces: WorkflowStackTraces } & (
  | { workflowStallGuard: 'process'; stallExitMs: number; quarantinedRuns: number; stallsFile: string }
  | { workflowStallGuard: 'call'; note?: string });

export function describeWorkflowStallGuard(env: Record<string, string | undefined>): WorkflowStallGuardDescription {
  const preloaded = require.cache[guardModule]?.exports as GuardModule | undefined;
  if (!preloaded) {
    return {
      workflowStallGuard: 'call', workflowStackTraces: 'on',
      note: 'workers/workflow-thread-guard.cjs is not preloaded: the SDK guards each call and keeps stack traces',
    };
  }
  // The preload refused bad settings before this process got here.
  const settings = preloaded.readSettings(env) as WorkflowStallGuardSettings;
  const stackTraces = require.cache[stackTracesModule]!.exports as StackTracesModule;
  const { traces: workflowStackTraces } = stackTraces.readStackTraceSetting(env) as { traces: WorkflowStackTraces };
  if (settings.mode === 'call') return { workflowStallGuard: 'call', workflowStackTraces };
  return {
    workflowStallGuard: 'process', stallExitMs: settings.exitAfterMs, stallsFile: settings.stallsFile,
    quarantinedRuns: preloaded.readStalledRuns(settings.stallsFile).size, workflowStackTraces,
  };
}
