import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  feedbackRecordSchema, feedbackReportRequestSchema, feedbackReportSchema, feedbackRequestSchema,
  type FeedbackRecord, type FeedbackReport, type FeedbackRequestInput,
} from '../contracts/feedback';
import { taskQueues } from '../contracts/task-queues';
import { runOwnerMemoKey, workflowIds, workflowTypes } from '../contracts/workflow-types';
import { parseOrThrow, startOnce } from './start-once';
import { toWorkflowRunError } from './workflow-failure';

/** A rating as callers write it; a feedback id is generated when absent. */
export type RecordFeedbackInput = Omit<FeedbackRequestInput, 'feedbackId'> & { feedbackId?: string };
export type FeedbackReportInput = z.input<typeof feedbackReportRequestSchema>;

/**
 * Records a user's rating of a finished answer run and returns it with what the run was pinned
 * to. Repeating it with the same feedbackId returns the first result; a run that cannot be rated
 * fails with a WorkflowRunError whose message says why.
 */
export async function recordFeedback(client: Client, input: RecordFeedbackInput): Promise<FeedbackRecord> {
  const request = parseOrThrow(feedbackRequestSchema, { ...input, feedbackId: input.feedbackId ?? randomUUID() });
  const workflowId = workflowIds.feedback(request.tenant, request.feedbackId);
  // The tenant is part of the id, so a run found under it is the caller's; a failed one does not block a retry.
  const { handle } = await startOnce(client, {
    workflowType: workflowTypes.recordFeedback, workflowId, tenant: request.tenant, request, idName: 'feedback id',
    staticSummary: `feedback of ${request.tenant}`,
  });
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
      taskQueue: taskQueues.orchestration, workflowId, args: [request], memo: { [runOwnerMemoKey]: request.tenant },
      staticSummary: `feedback report of ${request.tenant}${request.promptId ? ` for ${request.promptId}` : ''}`,
    });
    return feedbackReportSchema.parse(result);
  } catch (error) {
    throw toWorkflowRunError(error, workflowId);
  }
}
