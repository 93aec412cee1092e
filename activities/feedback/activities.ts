import type { Client } from '@temporalio/client';
import type {
  FeedbackLink, FeedbackRecord, FeedbackReport, FeedbackReportRequest, FeedbackRequest,
} from '../../contracts/feedback';
import { invalidInput } from '../failures';
import type { FeedbackStore } from './feedback-store';
import { linkFeedback } from './link-feedback';

export interface FeedbackActivityDependencies {
  /** Temporal client that reads the rated answer runs; linking fails without one. */
  client?: Client;
  /** Where ratings are kept; the feedback activities refuse to run without one. */
  store?: FeedbackStore;
}

/** The activities of recordFeedbackWorkflow and feedbackReportWorkflow, bound to their dependencies. */
export function createFeedbackActivities(dependencies: FeedbackActivityDependencies) {
  const { client } = dependencies;
  const store = (): FeedbackStore => {
    if (!dependencies.store) {
      throw invalidInput('this worker has no feedback store: open one with FeedbackStore.open(dataDir)');
    }
    return dependencies.store;
  };
  return {
    /** Checks the rated run may be rated by the tenant and reads what it was pinned to. */
    async linkFeedback(request: FeedbackRequest): Promise<FeedbackLink> {
      if (!client) {
        throw invalidInput('linking feedback needs a Temporal client: pass `client` to the feedback activities');
      }
      return linkFeedback(client, request);
    },
    /** Idempotent: keyed by rated run and user, so a retry or a later rating replaces, never adds. */
    async storeFeedback(record: FeedbackRecord): Promise<void> {
      await store().upsert(record);
    },
    async feedbackReport(request: FeedbackReportRequest): Promise<FeedbackReport> {
      return store().aggregate(request.tenant, request.promptId);
    },
  };
}

/** The activity interface the feedback workflows proxy (imported as a type only). */
export type FeedbackActivities = ReturnType<typeof createFeedbackActivities>;
