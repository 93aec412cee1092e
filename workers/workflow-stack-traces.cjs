'use strict';
// SLUICE_WORKFLOW_STACK_TRACES: `on` (the default) or `off`. Applied by workers/workflow-thread-guard.cjs, the
// preload every orchestration worker process starts with (Node runs preloads in worker threads too).
//
// Why: for the `__stack_trace` query (the Temporal UI's stack view of a waiting run), the SDK installs a
// promise hook in its workflow thread that builds an Error and maps its stack through the bundle's source
// map for every promise workflow code creates: about a third of the workflow thread's CPU in a profile. With it
// off, answers/s at concurrency 8 and 32 rose 9-18% and each local activity's round trip fell from 1.0-1.2 to
// 0.6-0.9 ms (bench/RESULTS.md "Performance").
// `off` leaves the hook out, as the SDK itself does where Node has no promise hooks: the worker then
// answers `__stack_trace` with "Workflow stack traces are not enabled on this worker". History, pending
// activities, search attributes and each run's current details (what it is doing or waiting for) are kept.
//
// The SDK has no option for it, so `off` reaches into @temporalio/worker/lib/workflow/vm-shared: when the
// workflow thread loads that module, its global handlers skip `setPromiseHook`. If a new SDK moves it, the
// worker says so on stderr and keeps stack traces (test/workflows/workflow-stack-traces.test.ts fails).
// Plain CommonJS: it runs before any TypeScript loader, so its setting is checked here, not with zod.
const Module = require('node:module');
const { isMainThread } = require('node:worker_threads');

const SDK_MODULE = '@temporalio/worker/lib/workflow/vm-shared';

function readStackTraceSetting(env) {
  const traces = env.SLUICE_WORKFLOW_STACK_TRACES || 'on';
  if (traces !== 'on' && traces !== 'off') {
    return { error: `SLUICE_WORKFLOW_STACK_TRACES must be "on" or "off", got ${JSON.stringify(traces)}` };
  }
  return { traces };
}

/** Makes the SDK's workflow-thread handlers skip their promise hook; false if the SDK's shape is not known. */
function skipPromiseHook(vmShared) {
  const handlers = vmShared && vmShared.globalHandlers;
  if (!handlers || typeof handlers.setPromiseHook !== 'function' || handlers.installed !== false) return false;
  handlers.setPromiseHook = function promiseHookSkipped() {};
  return true;
}

/** Worker threads: once the SDK's vm-shared module loads here (only the workflow thread loads it), skip its hook. */
function leaveOutStackTraces() {
  let sdkModule;
  try {
    sdkModule = require.resolve(SDK_MODULE);
  } catch {
    return; // no Temporal worker SDK here: nothing to leave out
  }
  const load = Module._load;
  Module._load = function loadWatchingForSdk(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    if (Module._load === loadWatchingForSdk && require.cache[sdkModule] && require.cache[sdkModule].loaded) {
      Module._load = load;
      if (!skipPromiseHook(require.cache[sdkModule].exports)) {
        process.stderr.write(`sluice: SLUICE_WORKFLOW_STACK_TRACES=off has no effect: ${SDK_MODULE} changed shape\n`);
      }
    }
    return exports;
  };
}

function applyStackTraceSetting(env) {
  const setting = readStackTraceSetting(env);
  if (setting.error) return setting;
  if (setting.traces === 'off' && !isMainThread) leaveOutStackTraces();
  return setting;
}

module.exports = { readStackTraceSetting, applyStackTraceSetting, skipPromiseHook };
