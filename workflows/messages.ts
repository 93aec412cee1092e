// Signals, queries and updates, kept apart from workflow code so clients import only these.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IngestProgress } from '../contracts/ingest';
import type { ReviewOutcome, ReviewView } from '../contracts/review';
import { messageNames } from '../contracts/workflow-types';

/** How far an ingest has got. */
export const ingestProgressQuery = defineQuery<IngestProgress>(messageNames.ingestProgressQuery);

/**
 * A reviewer's decision (a ReviewDecision; validated, so typed `unknown` here). The validator
 * refuses, with a reason the caller can show, before anything enters history.
 */
export const reviewDecisionUpdate = defineUpdate<ReviewOutcome, [unknown]>(messageNames.reviewDecisionUpdate);

/** The same decision for tools that can only signal; a refused one is logged and counted. */
export const reviewDecisionSignal = defineSignal<[unknown]>(messageNames.reviewDecisionSignal);

/** What a reviewer needs to decide: question, draft, citations with passages, findings, deadline. */
export const reviewStateQuery = defineQuery<ReviewView>(messageNames.reviewStateQuery);
