import { proxyActivities } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import {
  feedbackReportRequestSchema, feedbackRequestSchema, type FeedbackRecord, type FeedbackReport,
} from '../contracts/feedback';
import { workflowStatuses } from '../contracts/search-attributes';
import { workflowVersioning } from '../contracts/worker-deployment';
import { feedbackPreset } from './activity-presets';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';
import { declareVersioning } from './versioning';

const feedback = proxyActivities<SluiceActivities>(feedbackPreset);

/** Feature search attribute of feedback runs, so they are kept apart from the answers they rate. */
const feedbackFeature = 'feedback';

/** Marks the run failed in the UI before the failure ends it. */
async function markedFailed<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    markExecution({ status: workflowStatuses.failed });
    throw error;
  }
}

/**
 * Stores a user's rating of a finished answer run, linked to the prompt version, variant, model
 * and route that run was pinned to. A finished run takes no signal, so the rating is a run of
 * its own; its id carries the feedback id, so a client retry returns the first result.
 */
export async function recordFeedbackWorkflow(raw: unknown): Promise<FeedbackRecord> {
  const request = parseWorkflowInput(feedbackRequestSchema, raw);
  markExecution({ tenant: request.tenant, feature: feedbackFeature, status: workflowStatuses.running });
  return markedFailed(async () => {
    const link = await feedback.linkFeedback(request);
    const record: FeedbackRecord = {
      ...link, tenant: request.tenant, workflowId: request.workflowId, rating: request.rating,
      ...(request.comment !== undefined ? { comment: request.comment } : {}),
      ...(request.userId !== undefined ? { userId: request.userId } : {}),
      // Workflow time is recorded in history, so a replay stores the same instant.
      recordedAt: new Date().toISOString(),
    };
    await feedback.storeFeedback(record);
    markExecution({ status: workflowStatuses.recorded });
    return record;
  });
}

/** Aggregates a tenant's ratings by prompt version and variant, so variants can be compared. */
export async function feedbackReportWorkflow(raw: unknown): Promise<FeedbackReport> {
  const request = parseWorkflowInput(feedbackReportRequestSchema, raw);
  markExecution({ tenant: request.tenant, feature: feedbackFeature, status: workflowStatuses.running });
  return markedFailed(async () => {
    const report = await feedback.feedbackReport(request);
    markExecution({ status: workflowStatuses.recorded });
    return report;
  });
}

// How runs of this type move to a new build (contracts/worker-deployment.ts says why).
declareVersioning(recordFeedbackWorkflow, workflowVersioning.recordFeedback);
declareVersioning(feedbackReportWorkflow, workflowVersioning.feedbackReport);
