import { Context } from '@temporalio/activity';
import type { temporal } from '@temporalio/proto';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

// Where a workflow task's time goes between its local activities: when each was scheduled (core's
// marker, read from history), and when the activity itself started and ended in the worker (an
// interceptor's clock). Bench only: the marker's layout is core's, not a public API.

/** One activity call as the worker ran it, on the wall clock (ms since the epoch, sub-ms). */
export interface TimedCall {
  workflowId: string;
  activityType: string;
  startedAt: number;
  endedAt: number;
}

const wallClock = (): number => performance.timeOrigin + performance.now();

/** An interceptor factory recording every activity call of the worker into `calls`. */
export function activityClock(calls: TimedCall[]): ActivityInterceptorsFactory {
  return () => ({
    inbound: {
      async execute(input, next) {
        const { workflowExecution, activityType } = Context.current().info;
        const workflowId = workflowExecution?.workflowId ?? '';
        const startedAt = wallClock();
        try {
          return await next(input);
        } finally {
          calls.push({ workflowId, activityType, startedAt, endedAt: wallClock() });
        }
      },
    },
  });
}

interface MarkerTimes {
  activityType: string;
  scheduledAt: number;
}

/** A local activity marker's type and scheduling time (core writes them as JSON in the marker's `data`). */
function markerTimes(event: temporal.api.history.v1.IHistoryEvent): MarkerTimes | undefined {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  const marker = JSON.parse(Buffer.from(data).toString()) as {
    activity_type?: string; original_schedule_time?: { seconds: number; nanos: number };
  };
  const scheduled = marker.original_schedule_time;
  if (!marker.activity_type || !scheduled) return undefined;
  return { activityType: marker.activity_type, scheduledAt: scheduled.seconds * 1000 + scheduled.nanos / 1e6 };
}

const eventMillis = (event: temporal.api.history.v1.IHistoryEvent): number =>
  Number(event.eventTime!.seconds) * 1000 + event.eventTime!.nanos! / 1e6;

/**
 * Per local activity of one run, in order: `la<N>:<type>.dispatch` (scheduled by core → started in the
 * worker), `.run` (its own work) and `.afterPrevious` (the previous local activity's end → this one's
 * scheduling, within a workflow task: the result's trip back into the workflow and on to the next
 * command). Per workflow task with local activities: `wft<N>.toFirstLocal` (task started on the server →
 * its first local activity scheduled) and `wft<N>.afterLastLocal` (its last one's end → task completed).
 */
export function localActivitySteps(
  history: temporal.api.history.v1.IHistory, workflowId: string, calls: readonly TimedCall[],
): Map<string, number> {
  const steps = new Map<string, number>();
  const ownCalls = calls.filter((call) => call.workflowId === workflowId);
  const events = history.events ?? [];
  const taskStarts = events.filter((event) => event.workflowTaskStartedEventAttributes).map(eventMillis);
  const taskEnds = events.filter((event) => event.workflowTaskCompletedEventAttributes).map(eventMillis);
  /** The workflow task (1-based) running at `at`. */
  const taskAt = (at: number): number => taskStarts.filter((start) => start <= at).length;
  let previous: { task: number; endedAt: number } | undefined;
  let index = 0;
  for (const event of events) {
    const marker = markerTimes(event);
    if (!marker) continue;
    // The first call of that type that started at or after the scheduling (clocks agree to well under 1 ms).
    const call = ownCalls.find((candidate) =>
      candidate.activityType === marker.activityType && candidate.startedAt >= marker.scheduledAt - 0.5);
    if (!call) continue;
    const name = `la${index++}:${marker.activityType}`;
    const task = taskAt(marker.scheduledAt);
    steps.set(`${name}.dispatch`, call.startedAt - marker.scheduledAt);
    steps.set(`${name}.run`, call.endedAt - call.startedAt);
    if (previous?.task === task) steps.set(`${name}.afterPrevious`, marker.scheduledAt - previous.endedAt);
    else steps.set(`wft${task}.toFirstLocal`, marker.scheduledAt - taskStarts[task - 1]!);
    if (previous && previous.task !== task) {
      steps.set(`wft${previous.task}.afterLastLocal`, taskEnds[previous.task - 1]! - previous.endedAt);
    }
    previous = { task, endedAt: call.endedAt };
  }
  if (previous) steps.set(`wft${previous.task}.afterLastLocal`, taskEnds[previous.task - 1]! - previous.endedAt);
  return steps;
}
