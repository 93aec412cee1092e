import {
  QueryNotRegisteredError, WorkflowNotFoundError, WorkflowUpdateFailedError,
  type Client, type ConnectionLike, type WorkflowExecutionDescription, type WorkflowHandle,
} from '@temporalio/client';
import { answerResultSchema, type AnswerResult } from '../contracts/answer';
import { formatZodError } from '../contracts/format-error';
import { identifierSchema } from '../contracts/ids';
import {
  reviewDecisionSchema, reviewOutcomeSchema, reviewViewSchema, type ReviewDecision, type ReviewOutcome, type ReviewView,
} from '../contracts/review';
import { sluiceSearchAttributes, workflowStatuses } from '../contracts/search-attributes';
import { messageNames, workflowTypes } from '../contracts/workflow-types';
import { InvalidRequestError, ReviewRefusedError, UnknownRunError } from './errors';
import { toWorkflowRunError } from './workflow-failure';

// The reviewer's side of human review: find runs waiting for a decision, read one, decide it.

/** A run waiting for review, as the visibility list shows it. */
export interface PendingReview {
  workflowId: string;
  runId: string;
  tenant?: string;
  feature?: string;
  group?: string;
  promptVersion?: string;
  startedAt: Date;
}

/**
 * The visibility query for runs waiting for review, optionally of one tenant and group. The same
 * filter works in the Temporal UI's workflow list.
 */
export function pendingReviewQuery(filter: { tenant?: string; group?: string } = {}): string {
  const clauses = [
    `WorkflowType = '${workflowTypes.answer}'`, `ExecutionStatus = 'Running'`,
    `${sluiceSearchAttributes.status.name} = '${workflowStatuses.pendingReview}'`,
  ];
  // Identifiers only (no quotes can reach the query).
  for (const [value, attribute] of [
    [filter.tenant, sluiceSearchAttributes.tenant],
    [filter.group, sluiceSearchAttributes.reviewGroup],
  ] as const) {
    if (value === undefined) continue;
    const parsed = identifierSchema.safeParse(value);
    if (!parsed.success) throw new InvalidRequestError(`${attribute.name}: ${formatZodError(parsed.error)}`);
    clauses.push(`${attribute.name} = '${parsed.data}'`);
  }
  return clauses.join(' AND ');
}

const firstKeyword = (attributes: Record<string, unknown>, name: string): string | undefined => {
  const values = attributes[name];
  return Array.isArray(values) && typeof values[0] === 'string' ? values[0] : undefined;
};

/** Runs waiting for review, oldest first, at most `limit`. */
export async function listPendingReviews(
  client: Client, filter: { tenant?: string; group?: string; limit?: number } = {},
): Promise<PendingReview[]> {
  const found: PendingReview[] = [];
  for await (const execution of client.workflow.list({ query: pendingReviewQuery(filter) })) {
    const attributes = execution.searchAttributes as Record<string, unknown>;
    const tenant = firstKeyword(attributes, sluiceSearchAttributes.tenant.name);
    const feature = firstKeyword(attributes, sluiceSearchAttributes.feature.name);
    const group = firstKeyword(attributes, sluiceSearchAttributes.reviewGroup.name);
    const promptVersion = firstKeyword(attributes, sluiceSearchAttributes.promptVersion.name);
    found.push({
      workflowId: execution.workflowId, runId: execution.runId, startedAt: execution.startTime,
      ...(tenant ? { tenant } : {}), ...(feature ? { feature } : {}), ...(group ? { group } : {}),
      ...(promptVersion ? { promptVersion } : {}),
    });
    if (found.length >= (filter.limit ?? 100)) break;
  }
  return found.sort((left, right) => left.startedAt.getTime() - right.startedAt.getTime());
}

/** The handle and description of an answer run; an unknown id or another kind of run is an UnknownRunError. */
async function answerRun(
  client: Client, workflowId: string,
): Promise<{ handle: WorkflowHandle; description: WorkflowExecutionDescription }> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    if (description.type !== workflowTypes.answer) throw new UnknownRunError(`${workflowId} is not an answer run`);
    return { handle, description };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new UnknownRunError(`no run has the workflow id ${workflowId}`);
    throw error;
  }
}

/** What a reviewer needs to decide a run: question, draft, citations with passages, findings, deadline. */
export async function showReview(client: Client, workflowId: string): Promise<ReviewView> {
  const { handle } = await answerRun(client, workflowId);
  return reviewViewSchema.parse(await handle.query(messageNames.reviewStateQuery));
}

/** Parses a decision, naming the field at fault. */
export function parseDecision(decision: unknown): ReviewDecision {
  const parsed = reviewDecisionSchema.safeParse(decision);
  if (!parsed.success) throw new InvalidRequestError(formatZodError(parsed.error));
  return parsed.data;
}

/**
 * Sends a decision as an update and returns the run's answer to it. A refusal (not waiting,
 * already decided, the requester themselves, outside the group, an edit the gates stopped)
 * is a ReviewRefusedError whose message says why.
 */
export async function decideReview(client: Client, workflowId: string, decision: unknown): Promise<ReviewOutcome> {
  const parsed = parseDecision(decision);
  const { handle, description } = await answerRun(client, workflowId);
  if (description.status.name !== 'RUNNING') {
    throw new ReviewRefusedError(
      `${workflowId} has finished (${description.status.name.toLowerCase()}); it takes no decision`,
    );
  }
  try {
    return reviewOutcomeSchema.parse(await handle.executeUpdate(messageNames.reviewDecisionUpdate, { args: [parsed] }));
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ReviewRefusedError(`${workflowId}: ${error.cause?.message ?? error.message}`);
    }
    if (error instanceof WorkflowNotFoundError) {
      throw new ReviewRefusedError(`${workflowId} has finished; it takes no decision`);
    }
    throw error;
  }
}

/** Sends a decision as a signal (fire and forget: a refusal is only in the run's log). */
export async function signalReview(client: Client, workflowId: string, decision: unknown): Promise<void> {
  const parsed = parseDecision(decision);
  const { handle } = await answerRun(client, workflowId);
  await handle.signal(messageNames.reviewDecisionSignal, parsed);
}

/** Waits for an answer run's final result, through any review. */
export async function waitForAnswer(client: Client, workflowId: string): Promise<AnswerResult> {
  const { handle } = await answerRun(client, workflowId);
  try {
    return answerResultSchema.parse(await handle.result());
  } catch (error) {
    throw toWorkflowRunError(error, workflowId);
  }
}

/** How often `firstOutcome` asks a running answer whether it waits for review. */
const reviewPollMs = { first: 100, max: 1_000 };

/**
 * The run's result, or its review view as soon as it waits for a reviewer, whichever comes
 * first. The result is awaited (a long poll, aborted once the run is found waiting, so a CLI can
 * exit); review is read with the strongly consistent query between waits.
 */
export async function firstOutcome(
  handle: WorkflowHandle, connection: ConnectionLike,
): Promise<{ result: AnswerResult } | { pendingReview: ReviewView }> {
  const abort = new AbortController();
  const result = connection.withAbortSignal(abort.signal, () => handle.result())
    .then((value: unknown) => ({ result: answerResultSchema.parse(value) }));
  result.catch(() => undefined);
  let delay = reviewPollMs.first;
  try {
    for (;;) {
      const settled = await Promise.race([
        result,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), delay)),
      ]);
      if (settled) return settled;
      let view: ReviewView;
      try {
        view = reviewViewSchema.parse(await handle.query(messageNames.reviewStateQuery));
      } catch (error) {
        // Runs started before review waited for a decision have no such query: only their result counts.
        if (error instanceof QueryNotRegisteredError) return await result;
        throw error;
      }
      if (view.state === 'pending' || view.state === 'deciding') return { pendingReview: view };
      delay = Math.min(reviewPollMs.max, delay * 2);
    }
  } finally {
    abort.abort();
  }
}
