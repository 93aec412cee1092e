import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  feedbackRecordSchema, feedbackReportRequestSchema, feedbackReportSchema, feedbackRequestSchema,
  type FeedbackRecord, type FeedbackReport, type FeedbackRequestInput,
} from '../contracts/feedback';
import { formatZodError } from '../contracts/format-error';
import { taskQueues } from '../contracts/task-queues';
import { workflowIds, workflowTypes } from '../contracts/workflow-types';
import { ExecutionConflictError, InvalidRequestError } from './errors';
import { toWorkflowRunError } from './workflow-failure';

/** A rating as callers write it; a feedback id is generated when absent. */
export type RecordFeedbackInput = Omit<FeedbackRequestInput, 'feedbackId'> & { feedbackId?: string };
export type FeedbackReportInput = z.input<typeof feedbackReportRequestSchema>;

/** Memo field naming the tenant that owns a run, as every client-started Sluice run carries it. */
const ownerMemoKey = 'sluiceTenant';

function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidRequestError(formatZodError(parsed.error));
  return parsed.data;
}

/**
 * Starts the rating's run, or attaches to the one already started with its feedback id (the
 * tenant is part of the id, so it is the caller's). A failed run does not block a retry.
 */
async function startRating(
  client: Client, workflowId: string, tenant: string, request: unknown,
): Promise<WorkflowHandle> {
  try {
    return await client.workflow.start(workflowTypes.recordFeedback, {
      taskQueue: taskQueues.orchestration, workflowId, args: [request],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY', memo: { [ownerMemoKey]: tenant },
      staticSummary: `feedback of ${tenant}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.type !== workflowTypes.recordFeedback) {
      throw new ExecutionConflictError(`${workflowId} is already used by another run; choose another feedback id`);
    }
    return client.workflow.getHandle(workflowId, description.runId);
  }
}

/**
 * Records a user's rating of a finished answer run and returns it with what the run was pinned
 * to. Repeating it with the same feedbackId returns the first result; a run that cannot be rated
 * fails with a WorkflowRunError whose message says why.
 */
export async function recordFeedback(client: Client, input: RecordFeedbackInput): Promise<FeedbackRecord> {
  const request = parseOrThrow(feedbackRequestSchema, { ...input, feedbackId: input.feedbackId ?? randomUUID() });
  const workflowId = workflowIds.feedback(request.tenant, request.feedbackId);
  const handle = await startRating(client, workflowId, request.tenant, request);
  try {
    return feedbackRecordSchema.parse(await handle.result());
  } catch (error) {
    throw toWorkflowRunError(error, workflowId);
  }
}

/** The tenant's ratings aggregated by prompt version and variant. */
export async function feedbackReport(client: Client, input: FeedbackReportInput): Promise<FeedbackReport> {
  const request = parseOrThrow(feedbackReportRequestSchema, input);
  const workflowId = workflowIds.feedbackReport(request.tenant, randomUUID());
  try {
    const result = await client.workflow.execute(workflowTypes.feedbackReport, {
      taskQueue: taskQueues.orchestration, workflowId, args: [request], memo: { [ownerMemoKey]: request.tenant },
      staticSummary: `feedback report of ${request.tenant}${request.promptId ? ` for ${request.promptId}` : ''}`,
    });
    return feedbackReportSchema.parse(result);
  } catch (error) {
    throw toWorkflowRunError(error, workflowId);
  }
}
