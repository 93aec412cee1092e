'use strict';
// Preloaded (`node --require`) into every process that runs an orchestration worker; Node runs preloads in
// worker threads too, so it also runs in the SDK's workflow thread. SLUICE_WORKFLOW_STALL_GUARD: `process`
// (the default) or `call` (the SDK's own guard alone; the preload then does nothing).
//
// Why: the SDK guards against workflow code that never returns by passing `timeout` to every vm call into
// the workflow context (about 30 per answer). Node enforces each such timeout with a watchdog thread it
// creates and joins for that one call (nodejs/node#47739). In a busy worker that costs ~0.3 ms per call,
// all of it on the single workflow thread: ~10 ms of every answer (bench/pipeline/answer-timeline.ts).
//
// With `process`, calls into a Temporal workflow context run without that per-call timeout, and one
// monitor in the main thread watches them instead: the workflow thread stamps the start of each call in
// shared memory, and a call still running after SLUICE_WORKFLOW_STALL_EXIT_MS (default 5000, the SDK's
// own limit) ends the process with exit code 70 and a fatal log line naming the call and the run. The
// trade: the SDK fails only the stuck workflow task and keeps the worker; here the worker exits and its
// supervisor restarts it (k8s does). So that a workflow that loops on every attempt does not take a worker
// down again and again, the monitor first appends the run to <SLUICE_DATA_DIR>/workflow-stalls.jsonl, and a
// worker started on that data dir gives those runs the SDK's per-call timeout back: each worker exits at most
// once per such run. `call` keeps the SDK's per-call timeout for every run.
// Plain CommonJS: it runs before any TypeScript loader, so its settings are checked here, not with zod.
const { appendFileSync, mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { BroadcastChannel, isMainThread, threadId } = require('node:worker_threads');
const { isWorkflowContext, sandboxCall } = require('./workflow-sandbox-call.cjs');
const { applyStackTraceSetting } = require('./workflow-stack-traces.cjs');

const CHANNEL = 'sluice:workflow-thread-guard';
const EXIT_CODE = 70;
const RUN_ID_BYTES = 64;
const STALLS_FILE = 'workflow-stalls.jsonl';
/** The most recent stalled runs a worker reads back; older ones have long since failed or been fixed. */
const STALLS_KEPT = 1000;

function readSettings(env) {
  const mode = env.SLUICE_WORKFLOW_STALL_GUARD || 'process';
  const exitAfterMs = Number(env.SLUICE_WORKFLOW_STALL_EXIT_MS ?? 5000);
  if (mode !== 'call' && mode !== 'process') {
    return { error: `SLUICE_WORKFLOW_STALL_GUARD must be "call" or "process", got ${JSON.stringify(mode)}` };
  }
  if (!Number.isInteger(exitAfterMs) || exitAfterMs < 100 || exitAfterMs > 600_000) {
    return { error: `SLUICE_WORKFLOW_STALL_EXIT_MS must be a whole number of ms from 100 to 600000, got ${
      JSON.stringify(env.SLUICE_WORKFLOW_STALL_EXIT_MS)}` };
  }
  // SLUICE_DATA_DIR's default is contracts/config.ts's (`.data`), which this plain-JS preload cannot import.
  return { mode, exitAfterMs, stallsFile: join(env.SLUICE_DATA_DIR || '.data', STALLS_FILE) };
}

/** Run ids that stalled a worker on this data dir before (the file's last STALLS_KEPT lines). */
function readStalledRuns(stallsFile) {
  let text;
  try {
    text = readFileSync(stallsFile, 'utf8');
  } catch {
    return new Set();
  }
  const runs = new Set();
  for (const line of text.split('\n').slice(-STALLS_KEPT - 1)) {
    try {
      const runId = JSON.parse(line).runId;
      if (typeof runId === 'string') runs.add(runId);
    } catch {
      // A line cut short by a crash, or not ours: skipped.
    }
  }
  return runs;
}

function recordStall(stallsFile, stall) {
  try {
    mkdirSync(join(stallsFile, '..'), { recursive: true });
    appendFileSync(stallsFile, `${JSON.stringify(stall)}\n`);
    return true;
  } catch {
    return false;
  }
}

/** Shared state of one workflow thread: [0] the running call's start (epoch ms, 0 when idle), then names. */
function callStamp(buffer) {
  return {
    startedAt: new BigInt64Array(buffer, 0, 1),
    call: new Uint8Array(buffer, 8, 32),
    runId: new Uint8Array(buffer, 40, RUN_ID_BYTES),
  };
}

const encoder = new TextEncoder();

function writeText(target, text) {
  target.fill(0);
  encoder.encodeInto(text.slice(0, target.length), target);
}

function readText(source) {
  const end = source.indexOf(0);
  return new TextDecoder().decode(source.subarray(0, end < 0 ? source.length : end));
}

/** Workflow thread: calls into a workflow context lose their timeout and are stamped for the monitor. */
function guardWorkflowCalls(stallsFile) {
  const vm = require('node:vm');
  const runInContext = vm.Script.prototype.runInContext;
  const stalledBefore = readStalledRuns(stallsFile);
  let stamp;
  let currentRun = '';
  let stampedRun = '';
  vm.Script.prototype.runInContext = function runWithoutWatchdog(context, options) {
    // Only the SDK's calls: a Temporal workflow context, with the SDK's timeout. Other vm users keep theirs.
    if (!options || options.timeout === undefined || !isWorkflowContext(context)) {
      return runInContext.call(this, context, options);
    }
    const { call, runId } = sandboxCall(context);
    // initRuntime and activate carry the run; the calls after them (one activation at a time) are for it too.
    if (runId !== undefined) currentRun = runId;
    if (stalledBefore.has(currentRun)) return runInContext.call(this, context, options);
    if (!stamp) stamp = announce();
    writeText(stamp.call, call ?? 'workflow code');
    if (currentRun !== stampedRun) {
      writeText(stamp.runId, currentRun);
      stampedRun = currentRun;
    }
    Atomics.store(stamp.startedAt, 0, BigInt(Date.now()));
    const { timeout: _perCallTimeout, ...rest } = options;
    try {
      return runInContext.call(this, context, rest);
    } finally {
      Atomics.store(stamp.startedAt, 0, 0n);
    }
  };
}

function announce() {
  const buffer = new SharedArrayBuffer(8 + 32 + RUN_ID_BYTES);
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ threadId, buffer });
  channel.close();
  return callStamp(buffer);
}

/** Main thread: checks every announced workflow thread; a call past the limit ends the process. */
function monitorWorkflowThreads(exitAfterMs, stallsFile) {
  const threads = [];
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = ({ data }) => {
    if (data && data.buffer instanceof SharedArrayBuffer) threads.push({ threadId: data.threadId, ...callStamp(data.buffer) });
  };
  const check = () => {
    const now = Date.now();
    for (const thread of threads) {
      const startedAt = Number(Atomics.load(thread.startedAt, 0));
      if (startedAt === 0 || now - startedAt < exitAfterMs) continue;
      const stall = { time: now, runId: readText(thread.runId) || undefined, call: readText(thread.call), runningMs: now - startedAt };
      const line = {
        level: 60, name: 'sluice', msg: 'a call into workflow code ran past the stall limit: exiting', ...stall,
        exitAfterMs, workflowThreadId: thread.threadId, setting: 'SLUICE_WORKFLOW_STALL_GUARD=process',
        // A worker started on the same data dir runs this run with the SDK's per-call timeout.
        recordedIn: stall.runId && recordStall(stallsFile, stall) ? stallsFile : undefined,
      };
      process.stderr.write(`${JSON.stringify(line)}\n`);
      process.exit(EXIT_CODE);
    }
  };
  setInterval(check, Math.max(50, Math.min(1000, Math.floor(exitAfterMs / 4)))).unref();
}

const settings = readSettings(process.env);
// The one preload of a worker process also applies SLUICE_WORKFLOW_STACK_TRACES (workers/workflow-stack-traces.cjs).
const stackTraces = applyStackTraceSetting(process.env);
const settingsError = settings.error || stackTraces.error;
if (settingsError) {
  process.stderr.write(`sluice: ${settingsError}\n`);
  process.exit(1);
}
if (settings.mode === 'process') {
  if (isMainThread) monitorWorkflowThreads(settings.exitAfterMs, settings.stallsFile);
  else guardWorkflowCalls(settings.stallsFile);
}

module.exports = { readSettings, readStalledRuns, EXIT_CODE };
