import type { ActivityOptions } from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../contracts/error-types';

// Timeouts and retry policies per kind of call, defined once. Every activity call in a
// workflow uses one of these, so no side effect runs without an explicit timeout.

/** Pure CPU work on text (gates, chunking): fast, retried a few times on worker loss. */
export const gatePreset: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 3, nonRetryableErrorTypes },
};

/** Store reads: milliseconds when healthy, so a short timeout finds a dead worker fast. */
export const retrievalPreset: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
};

/** Per-document ingest (read, chunk, embed, upsert): idempotent, so retried freely. */
export const ingestPreset: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
};

/** Model calls: long, heartbeating, retried with backoff; fallbacks happen in the workflow. */
export const modelPreset: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4, nonRetryableErrorTypes },
};
