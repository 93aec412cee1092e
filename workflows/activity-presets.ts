import type { Duration } from '@temporalio/common';
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../contracts/error-types';

// Timeouts and retry policies per kind of call, defined once. Every activity call in a
// workflow uses one of these, so no side effect runs without an explicit timeout.

/** Pure CPU work on text (gates, chunking): fast, retried a few times on worker loss. */
export const gatePreset: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 3,
    nonRetryableErrorTypes,
  },
};

/**
 * Store reads: milliseconds when healthy, so a short timeout finds a dead worker fast. A store
 * outage (StoreUnavailable) is waited out with backoff for up to 2 minutes per call (no attempt
 * limit: scheduleToClose bounds it); a refused request (InvalidStoreRequest, InvalidInput) fails at once.
 */
export const retrievalPreset: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', nonRetryableErrorTypes,
  },
};

/**
 * The answer's own search: a store read that heartbeats while it runs, so a worker that dies
 * mid-search is noticed within 5 seconds and the retry runs elsewhere, not after start-to-close.
 */
export const searchPreset: ActivityOptions = { ...retrievalPreset, heartbeatTimeout: '5 seconds' };

/**
 * Per-document ingest (read, chunk, embed, upsert): idempotent, so retried freely; a store outage
 * is waited out for up to 30 minutes per call, backing off to one attempt per 30 seconds.
 */
export const ingestPreset: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  scheduleToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes,
  },
};

/**
 * One source file (a JSON-lines file may hold thousands of records): long, so it heartbeats per
 * embedded batch and a lost worker is noticed in a minute, not at the end of the timeout.
 */
export const ingestFilePreset: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  // Longer than one attempt may run, so a store outage is waited out (backing off to 30 s) too.
  scheduleToCloseTimeout: '2 hours',
  retry: {
    initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes,
  },
};

/** Model calls: long, heartbeating, retried with backoff; fallbacks happen in the workflow. */
export const modelPreset: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4,
    nonRetryableErrorTypes,
  },
};

/** Routing (`planModelRoute`): tokenizing and embedding a prompt, CPU only. */
export const routingPreset: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 3,
    nonRetryableErrorTypes,
  },
};

/**
 * One provider call (`callModel`) on the model's own queue, with the timeouts and retry
 * policy the catalog gives its provider. The workflow falls back on the final failure, so
 * the attempts here are per model, not per request.
 */
export function modelCallPreset(candidate: {
  taskQueue: string; startToCloseMs: number; heartbeatMs: number; scheduleToStartMs?: number;
  retry: { initialIntervalMs: number; backoffCoefficient: number; maximumIntervalMs: number; maximumAttempts: number };
}): ActivityOptions {
  return {
    taskQueue: candidate.taskQueue,
    startToCloseTimeout: candidate.startToCloseMs,
    heartbeatTimeout: candidate.heartbeatMs,
    // Its own budget (the catalog's `queueTimeoutMs`): how long a call may wait for a worker (a
    // rate-limited backlog, or no worker at all) before the workflow falls back. Plans recorded
    // before that setting existed carry none and keep the old bound, start-to-close.
    scheduleToStartTimeout: candidate.scheduleToStartMs ?? candidate.startToCloseMs,
    retry: {
      initialInterval: candidate.retry.initialIntervalMs, backoffCoefficient: candidate.retry.backoffCoefficient,
      maximumInterval: candidate.retry.maximumIntervalMs, maximumAttempts: candidate.retry.maximumAttempts,
      nonRetryableErrorTypes,
    },
  };
}

/**
 * In-process CPU work as a local activity: it only fails with its worker, so three quick
 * attempts; a lost worker's task times out and the run resumes on another worker.
 */
function cpuLocalPreset(startToCloseTimeout: Duration, maximumInterval: Duration): LocalActivityOptions {
  return {
    startToCloseTimeout, localRetryThreshold: '10 seconds',
    retry: {
      initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval, maximumAttempts: 3,
      nonRetryableErrorTypes,
    },
  };
}

/**
 * Gates as local activities: they are pure CPU work of a few milliseconds, so running them in
 * the workflow's worker saves two task round trips. Retries are few; when they run out the
 * workflow applies the fail-closed default.
 */
export const gateLocalPreset = cpuLocalPreset('10 seconds', '2 seconds');

/** `planModelRoute` as a local activity: a few milliseconds of tokenizing and embedding. */
export const routingLocalPreset = cpuLocalPreset('30 seconds', '5 seconds');

/** The extractive model as a local activity. */
export const extractiveLocalPreset = cpuLocalPreset('30 seconds', '2 seconds');

/**
 * The answer cache as local activities: one embedding and one read or write of the tenant's cache
 * table. They never fail on a broken cache (a miss, or nothing stored), so retries only cover a lost worker.
 */
export const cacheLocalPreset = cpuLocalPreset('10 seconds', '2 seconds');

/**
 * Feedback steps: one describe and result read on the Temporal server, or one small write or
 * scan of the tenant's feedback table. Store reads' bounds (2 minutes of backoff on a hiccup,
 * InvalidInput at once) with a longer attempt for the server read.
 */
export const feedbackPreset: ActivityOptions = {
  ...retrievalPreset,
  startToCloseTimeout: '30 seconds',
  retry: { ...retrievalPreset.retry, initialInterval: '500 milliseconds' },
};

/** One backtest page: lists executions and reads their histories from the Temporal server. */
export const backtestPreset: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5,
    nonRetryableErrorTypes,
  },
};

/**
 * Budget reserve and settle: one update to the tenant's ledger, milliseconds when healthy. Keyed,
 * so retried freely: an outage or a busy ledger is waited out for up to 5 minutes per call; a
 * request the ledger refuses (InvalidInput) fails at once.
 */
export const budgetPreset: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', nonRetryableErrorTypes,
  },
};
