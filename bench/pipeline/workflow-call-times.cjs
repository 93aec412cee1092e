'use strict';
// A preload (`node --require`) that times every call the SDK makes into a Temporal workflow context (activate,
// tryUnblockConditions, concludeActivation, ...) in each workflow thread, and prints one JSON line per call name
// on stdout when the process exits: how many, and the mean and total ms. Load it after
// workers/workflow-thread-guard.cjs so it times the calls as the guard runs them, e.g.
//   SLUICE_WORKFLOW_STALL_GUARD=call node --require ./workers/workflow-thread-guard.cjs \
//     --require ./bench/pipeline/workflow-call-times.cjs --import tsx bench/pipeline/answer-timeline.ts 100
// and again without SLUICE_WORKFLOW_STALL_GUARD=call (bench/RESULTS.md "Performance", the stall guard).
const { writeSync } = require('node:fs');
const { BroadcastChannel, isMainThread, threadId } = require('node:worker_threads');
const { isWorkflowContext, sandboxCall } = require('../../workers/workflow-sandbox-call.cjs');

const CHANNEL = 'sluice:bench:workflow-call-times';

if (isMainThread) {
  const latest = new Map();
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = ({ data }) => latest.set(data.threadId, data.calls);
  process.on('exit', () => {
    const totals = new Map();
    for (const calls of latest.values()) {
      for (const [call, [count, ms]] of Object.entries(calls)) {
        const sum = totals.get(call) ?? [0, 0];
        totals.set(call, [sum[0] + count, sum[1] + ms]);
      }
    }
    // The guard's own reading of the setting when it is preloaded; without it the SDK guards each call.
    const preloaded = require.cache[require.resolve('../../workers/workflow-thread-guard.cjs')];
    const guard = preloaded ? preloaded.exports.readSettings(process.env).mode : 'call';
    for (const [call, [count, ms]] of totals) {
      const line = { bench: 'workflow-call-times', workflowStallGuard: guard, call, count,
        meanMs: +(ms / count).toFixed(3), totalMs: +ms.toFixed(1) };
      writeSync(1, `${JSON.stringify(line)}\n`);
    }
  });
} else {
  const vm = require('node:vm');
  const runInContext = vm.Script.prototype.runInContext;
  const calls = {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  let sinceReport = 0;
  vm.Script.prototype.runInContext = function timed(context, options) {
    if (!isWorkflowContext(context)) return runInContext.call(this, context, options);
    const call = sandboxCall(context).call ?? 'other';
    const start = process.hrtime.bigint();
    try {
      return runInContext.call(this, context, options);
    } finally {
      const entry = (calls[call] ??= [0, 0]);
      entry[0] += 1;
      entry[1] += Number(process.hrtime.bigint() - start) / 1e6;
      // Reported as it goes: a worker thread may be gone before the process exits.
      if (++sinceReport >= 100) {
        sinceReport = 0;
        channel.postMessage({ threadId, calls });
      }
    }
  };
}
