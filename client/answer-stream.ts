import type { Client, ConnectionLike, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { answerResultSchema, type AnswerResult } from '../contracts/answer';
import { reviewViewSchema } from '../contracts/review';
import { sluiceSearchAttributes, workflowStatuses } from '../contracts/search-attributes';
import { modelCallProgressSchema, type AnswerStreamEvent } from '../contracts/stream';
import { messageNames } from '../contracts/workflow-types';
import { StreamTextTracker, type ReleasedReading } from './stream-text-tracker';
import { toWorkflowRunError } from './workflow-failure';

// An answer run as a stream of events: its gated text while the model generates, then its result.
// The text is read from the streaming `callModel` activity's heartbeat details, which `describe`
// returns from the run's mutable state (not its history), decoded with the client's payload codec.
// Reading never touches the run: a caller that leaves stops reading, and the run goes on to settle
// its budget and finish by itself (budgets are settled in the workflow, workflows/answer-budget.ts).

export interface AnswerStreamOptions {
  /**
   * How often the run is described for new text, in milliseconds: lower shows text sooner and costs
   * one `DescribeWorkflowExecution` call per interval per stream. @default 250
   */
  pollMs?: number;
  /** Aborting it ends the stream without a `final` event; the run goes on. */
  signal?: AbortSignal;
  /** Go on through a review until the decision; otherwise the stream ends at `pending_review`. @default false */
  waitForReview?: boolean;
}

/** Where the stream gets its run from: started (or found) on the first read. */
export interface AnswerStreamSource {
  client: Client;
  connection: ConnectionLike;
  start(): Promise<WorkflowHandle>;
}

type Outcome = { result: AnswerResult } | { error: unknown };

const modelCallActivity = 'callModel';

/** The released text of the run's streaming model call, if one is running and has heartbeated it. */
async function readReleased(
  client: Client, description: WorkflowExecutionDescription,
): Promise<ReleasedReading | undefined> {
  const latest = (description.raw.pendingActivities ?? [])
    .filter((activity) => activity.activityType?.name === modelCallActivity)
    .filter((activity) => (activity.heartbeatDetails?.payloads?.length ?? 0) > 0)
    .at(-1);
  if (!latest) return undefined;
  const payloads = latest.heartbeatDetails?.payloads;
  const details = await decodeFromPayloadsAtIndex(client.options.loadedDataConverter, 0, payloads);
  const progress = modelCallProgressSchema.safeParse(details);
  // Non-streaming calls (judge, reviser) heartbeat without text.
  if (!progress.success || progress.data.released === undefined) return undefined;
  return { activityId: latest.activityId ?? '', released: progress.data.released };
}

const waitingForReview = (description: WorkflowExecutionDescription): boolean =>
  description.searchAttributes[sluiceSearchAttributes.status.name]?.[0] === workflowStatuses.pendingReview;

/** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolves when `signal` aborts. */
const whenAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

/**
 * The events of one answer run (contracts/stream.ts): `started`, then `delta`s and `reset`s while a
 * model streams, `pending_review` when it waits for a reviewer, and `final` with the gated result.
 * Breaking out of the loop (`return()`) or aborting `options.signal` stops it cleanly.
 */
export async function* answerStream(
  source: AnswerStreamSource, options: AnswerStreamOptions = {},
): AsyncGenerator<AnswerStreamEvent, void, undefined> {
  const pollMs = Math.max(10, options.pollMs ?? 250);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) return;
  try {
    const handle = await source.start();
    let description = await handle.describe();
    const { workflowId, runId } = description;
    yield { type: 'started', workflowId, runId };
    // The result is awaited as a long poll beside the reads, so `final` comes as soon as the run ends.
    const outcome: Promise<Outcome> = source.connection
      .withAbortSignal(stop.signal, () => handle.result())
      .then((value: unknown) => ({ result: answerResultSchema.parse(value) }), (error: unknown) => ({ error }));
    const ended = outcome.then(() => true);
    const tracker = new StreamTextTracker();
    let settled = description.status.name !== 'RUNNING';
    while (!settled) {
      yield* tracker.observe(await readReleased(source.client, description));
      if (waitingForReview(description)) {
        const view = reviewViewSchema.parse(await handle.query(messageNames.reviewStateQuery));
        yield {
          type: 'pending_review', workflowId, runId,
          ...(view.group ? { group: view.group } : {}), ...(view.deadline ? { deadline: view.deadline } : {}),
        };
        if (!options.waitForReview) return;
        // A person decides now: no model streams, so wait for the result instead of reading.
        await Promise.race([ended, whenAborted(stop.signal)]);
        if (stop.signal.aborted) return;
        break;
      }
      settled = await Promise.race([ended, pause(pollMs, stop.signal).then(() => false)]);
      if (stop.signal.aborted) return;
      if (!settled) description = await handle.describe();
    }
    const final = await outcome;
    if ('error' in final) throw toWorkflowRunError(final.error, workflowId);
    yield {
      type: 'final', workflowId, runId, result: final.result, replaced: !final.result.answer.startsWith(tracker.text),
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Ends the result's long poll; the run itself is not touched.
    stop.abort();
  }
}
