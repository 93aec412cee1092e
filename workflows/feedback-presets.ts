import type { ActivityOptions } from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../contracts/error-types';

/**
 * Feedback steps: one describe and result read on the Temporal server, or one small write or
 * scan of the tenant's feedback table. Quick when healthy, so a short timeout finds a lost
 * worker fast; a server or store hiccup is retried with backoff for up to 2 minutes, and a run
 * that cannot be rated (InvalidInput) fails at once.
 */
export const feedbackPreset: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', nonRetryableErrorTypes,
  },
};
