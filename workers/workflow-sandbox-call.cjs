'use strict';
// Which call the Temporal SDK is making into a workflow sandbox, read from the vm context it runs in. The SDK
// (@temporalio/worker's reusable-vm.js) sets `__temporal_args = [holder, call, args]` on the context before each
// `runInContext`, and the workflow bundle defines `__TEMPORAL__` on it. Shared by workers/workflow-thread-guard.cjs
// and bench/pipeline/workflow-call-times.cjs, so an SDK change is mended in one place. Plain CommonJS (preloads).

/** Whether `context` is a Temporal workflow sandbox (the bundle has run in it). */
function isWorkflowContext(context) {
  return typeof context === 'object' && context !== null && '__TEMPORAL__' in context;
}

/**
 * The call's name ('activate', 'concludeActivation', ...) and the run it names, if its first argument carries
 * one: initRuntime's options (`info.runId`) and activate's activation (`runId`).
 */
function sandboxCall(context) {
  const [, call, args] = Array.isArray(context.__temporal_args) ? context.__temporal_args : [];
  const first = args && args[0];
  const runId = first && (typeof first.runId === 'string' ? first.runId : first.info && first.info.runId);
  return { call: typeof call === 'string' ? call : undefined, runId: typeof runId === 'string' ? runId : undefined };
}

module.exports = { isWorkflowContext, sandboxCall };
