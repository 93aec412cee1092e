// Where an answer's time goes, from the server's own event times: answers run back to back on
// Sluice's dev server, then for the last `runs` of them the median of each step of the history
// (workflow-task queue wait and processing, each activity, local activities inside a task: each one's
// dispatch and run, and the trip from one's end to the next one's scheduling; bench/pipeline/local-activity-times.ts).
// With --per-run-modules the bundle is built without sharing zod and contracts/ across runs (the SDK's
// default, workers/share-modules-across-runs.cjs), as a baseline.
// Usage: npx tsx bench/pipeline/answer-timeline.ts [runs] [--per-run-modules]   (prints JSON lines)
// SLUICE_WORKFLOW_STACK_TRACES=off takes effect with the preload:
//   node --require ./workers/workflow-thread-guard.cjs --import tsx bench/pipeline/answer-timeline.ts 60
import { temporal } from '@temporalio/proto';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { buildWorkflowBundle } from '../../test/helpers/workflow-bundle';
import { describeWorkflowStallGuard } from '../../workers/workflow-stall-guard';
import { withCorpusStack } from '../bench-server';
import { percentile, timeMs } from '../stats';
import { activityClock, localActivitySteps, type TimedCall } from './local-activity-times';

const runs = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 30);
const shareModules = !process.argv.includes('--per-run-modules');
const modules = shareModules ? 'shared' : 'per-run';
// Whether the workflow thread keeps stack traces: `off` only with workers/workflow-thread-guard.cjs preloaded.
const { workflowStackTraces } = describeWorkflowStallGuard(process.env);
const question = 'What happens when a worker process crashes in the middle of an answer?';
const EventType = {
  scheduled: temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  started: temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  completed: temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
};

const millis = (event: temporal.api.history.v1.IHistoryEvent): number =>
  Number(event.eventTime!.seconds) * 1000 + event.eventTime!.nanos! / 1e6;

/** Named steps of one history and their durations: `wft1.wait`, `wft1.run`, `activity:retrieveContext`, … */
function steps(history: temporal.api.history.v1.IHistory): Map<string, number> {
  const found = new Map<string, number>();
  const events = history.events ?? [];
  let task = 0;
  let scheduledAt = 0;
  let startedAt = 0;
  const activityScheduled = new Map<string, { name: string; at: number }>();
  for (const event of events) {
    const at = millis(event);
    if (event.eventType === EventType.scheduled) scheduledAt = at;
    if (event.eventType === EventType.started) {
      task += 1;
      startedAt = at;
      found.set(`wft${task}.wait`, at - scheduledAt);
    }
    if (event.eventType === EventType.completed) found.set(`wft${task}.run`, at - startedAt);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) activityScheduled.set(String(event.eventId), { name: scheduled.activityType?.name ?? '?', at });
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const start = activityScheduled.get(String(completed.scheduledEventId));
      if (start) found.set(`activity:${start.name}`, at - start.at);
    }
  }
  const first = events[0];
  const last = events[events.length - 1];
  if (first && last) found.set('total', millis(last) - millis(first));
  return found;
}

async function main(): Promise<void> {
  await buildWorkflowBundle({ shareModules });
  const calls: TimedCall[] = [];
  await withCorpusStack({ activityInterceptors: [activityClock(calls)] }, async (env) => {
    const clientMs: number[] = [];
    const perStep = new Map<string, number[]>();
    for (let index = 0; index < runs + 10; index++) {
      const workflowId = `timeline-${index}`;
      const elapsed = await timeMs(() => env.client.workflow.execute(workflowTypes.answer, {
        taskQueue: taskQueues.orchestration, workflowId, args: [{ tenant: 'bench', requestId: `t${index}`, question }],
      }));
      if (index < 10) continue; // warm-up
      clientMs.push(elapsed);
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      for (const [name, ms] of [...steps(history), ...localActivitySteps(history, workflowId, calls)]) {
        const values = perStep.get(name) ?? [];
        values.push(ms);
        perStep.set(name, values);
      }
    }
    // The p99 says which step the tail comes from (issue #10's p99 goal), beside each step's median.
    const summary = (step: string, values: number[]) => JSON.stringify({
      bench: 'answer-timeline', modules, workflowStackTraces, step,
      p50Ms: +percentile(values, 0.5).toFixed(1), p99Ms: +percentile(values, 0.99).toFixed(1),
    });
    console.log(summary('client start+result', clientMs));
    for (const [name, values] of perStep) console.log(summary(name, values));
  });
}

void main();
