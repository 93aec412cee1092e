import type { z } from 'zod';
import { answerStreamEventSchema } from '../../contracts/stream';
import {
  answerBodySchema, answerRunResponseSchema, answerStartedSchema, answerStreamBodySchema, budgetBodySchema,
  budgetResponseSchema, deleteDocumentsBodySchema, deleteDocumentsResponseSchema, errorResponseSchema,
  feedbackBodySchema, feedbackResponseSchema, healthResponseSchema, ingestBodySchema, ingestRunResponseSchema,
  ingestStartedSchema, readinessResponseSchema, reviewDecisionBodySchema, reviewListQuerySchema,
  reviewListResponseSchema, reviewOutcomeResponseSchema, reviewViewResponseSchema, workflowIdParamsSchema,
} from '../../contracts/gateway';
import type { GatewayRole } from '../../contracts/gateway-keys';

// Every route of the gateway as the OpenAPI document describes it, naming the same zod schemas
// the handlers parse with. A unit test checks that the routes Fastify serves and this list agree.

/** Request bodies, by component name (rendered as the schema's input: defaults optional). */
export const requestSchemas = {
  AnswerRequest: answerBodySchema,
  AnswerStreamRequest: answerStreamBodySchema,
  IngestRequest: ingestBodySchema,
  ReviewDecisionRequest: reviewDecisionBodySchema,
  FeedbackRequest: feedbackBodySchema,
  DeleteDocumentsRequest: deleteDocumentsBodySchema,
  BudgetRequest: budgetBodySchema,
} as const;

/** Response bodies, by component name (rendered as the schema's output). */
export const responseSchemas = {
  AnswerStarted: answerStartedSchema,
  AnswerRun: answerRunResponseSchema,
  AnswerStreamEvent: answerStreamEventSchema,
  IngestStarted: ingestStartedSchema,
  IngestRun: ingestRunResponseSchema,
  ReviewList: reviewListResponseSchema,
  ReviewView: reviewViewResponseSchema,
  ReviewOutcome: reviewOutcomeResponseSchema,
  FeedbackRecord: feedbackResponseSchema,
  DeleteDocumentsResult: deleteDocumentsResponseSchema,
  Budget: budgetResponseSchema,
  Health: healthResponseSchema,
  Readiness: readinessResponseSchema,
  ErrorResponse: errorResponseSchema,
} as const;

/** Error statuses an operation may answer besides the ones its shape implies (auth, body, 500). */
export type ErrorStatus = 400 | 404 | 409 | 422 | 503;

export interface OperationSpec {
  method: 'get' | 'post' | 'put';
  /** OpenAPI path template (`{workflowId}`); Fastify's `:workflowId` form is derived from it. */
  path: string;
  operationId: string;
  summary: string;
  /** The role an API key needs; no key at all when absent. */
  role?: GatewayRole;
  body?: keyof typeof requestSchemas;
  query?: z.ZodObject;
  params?: z.ZodObject;
  /**
   * `schema` absent: any JSON object (the OpenAPI document itself). `contentType` other than JSON:
   * `text/event-stream`, whose events' `data` each match `schema`.
   */
  responses: Partial<Record<200 | 202, {
    description: string; schema?: keyof typeof responseSchemas; contentType?: 'text/event-stream';
  }>>;
  errors: ErrorStatus[];
}

const workflowId = workflowIdParamsSchema;

export const operations: readonly OperationSpec[] = [
  {
    method: 'post', path: '/v1/answers', operationId: 'createAnswer', role: 'caller', body: 'AnswerRequest',
    summary: 'Answer a question from the tenant\'s documents (waits for the result unless `wait` is false)',
    responses: {
      200: { description: 'the answer', schema: 'AnswerRun' },
      202: { description: 'started (`wait: false`), or waiting for a reviewer', schema: 'AnswerRun' },
    },
    errors: [409, 422, 503],
  },
  {
    method: 'post', path: '/v1/answers/stream', operationId: 'streamAnswer', role: 'caller',
    body: 'AnswerStreamRequest',
    summary: 'Answer a question, streaming the gated text as it is generated (server-sent events)',
    responses: {
      200: {
        description: 'server-sent events `started`, `delta`, `reset`, `pending_review`, `final` (each `data` an ' +
          'AnswerStreamEvent), `:keepalive` comments every 15 s, and `error` with the error shape if the run fails',
        schema: 'AnswerStreamEvent', contentType: 'text/event-stream',
      },
    },
    errors: [409, 503],
  },
  {
    method: 'get', path: '/v1/answers/{workflowId}', operationId: 'getAnswer', role: 'caller', params: workflowId,
    summary: 'The result of an answer run, or where it is while it runs',
    responses: {
      200: { description: 'finished: the result', schema: 'AnswerRun' },
      202: { description: 'running or waiting for a reviewer', schema: 'AnswerRun' },
    },
    errors: [400, 404, 422, 503],
  },
  {
    method: 'post', path: '/v1/ingest', operationId: 'createIngest', role: 'caller', body: 'IngestRequest',
    summary: 'Ingest documents sent inline into the tenant\'s store',
    responses: { 202: { description: 'started', schema: 'IngestStarted' } },
    errors: [409, 503],
  },
  {
    method: 'get', path: '/v1/ingest/{workflowId}', operationId: 'getIngest', role: 'caller', params: workflowId,
    summary: 'Progress of an ingest run, or its report when done',
    responses: {
      200: { description: 'finished: the report', schema: 'IngestRun' },
      202: { description: 'running: progress', schema: 'IngestRun' },
    },
    errors: [400, 404, 422, 503],
  },
  {
    method: 'post', path: '/v1/documents/delete', operationId: 'deleteDocuments', role: 'caller',
    body: 'DeleteDocumentsRequest',
    summary: 'Remove documents, all their chunks, from the tenant\'s store (waits for the result)',
    responses: { 200: { description: 'what was deleted, per document', schema: 'DeleteDocumentsResult' } },
    errors: [409, 503],
  },
  {
    method: 'get', path: '/v1/reviews', operationId: 'listReviews', role: 'reviewer', query: reviewListQuerySchema,
    summary: 'The tenant\'s runs waiting for review, oldest first',
    responses: { 200: { description: 'runs waiting for review', schema: 'ReviewList' } },
    errors: [400, 503],
  },
  {
    method: 'get', path: '/v1/reviews/{workflowId}', operationId: 'getReview', role: 'reviewer', params: workflowId,
    summary: 'What a reviewer needs to decide a run',
    responses: { 200: { description: 'the review view', schema: 'ReviewView' } },
    errors: [400, 404, 503],
  },
  {
    method: 'post', path: '/v1/reviews/{workflowId}/decision', operationId: 'decideReview', role: 'reviewer',
    params: workflowId, body: 'ReviewDecisionRequest',
    summary: 'Approve, reject or edit a run waiting for review (the reviewer is the API key\'s name)',
    responses: { 200: { description: 'the decision was accepted', schema: 'ReviewOutcome' } },
    errors: [404, 409, 503],
  },
  {
    method: 'post', path: '/v1/feedback', operationId: 'createFeedback', role: 'caller', body: 'FeedbackRequest',
    summary: 'Rate a finished answer run',
    responses: { 200: { description: 'the stored rating', schema: 'FeedbackRecord' } },
    errors: [404, 409, 422, 503],
  },
  {
    method: 'get', path: '/v1/budget', operationId: 'getBudget', role: 'caller',
    summary: 'The tenant\'s budget: limits, usage in each scope\'s current period, open reservations',
    responses: { 200: { description: 'the budget', schema: 'Budget' } },
    errors: [503],
  },
  {
    method: 'put', path: '/v1/budget', operationId: 'setBudget', role: 'operator', body: 'BudgetRequest',
    summary: 'Set the tenant\'s budget limits (merged into the current ones unless `mode` is `replace`)',
    responses: { 200: { description: 'the budget with its new limits', schema: 'Budget' } },
    errors: [503],
  },
  {
    method: 'get', path: '/healthz', operationId: 'health', summary: 'The process is up',
    responses: { 200: { description: 'up', schema: 'Health' } }, errors: [],
  },
  {
    method: 'get', path: '/readyz', operationId: 'ready', summary: 'The gateway can reach Temporal',
    responses: { 200: { description: 'ready', schema: 'Readiness' } }, errors: [503],
  },
  {
    method: 'get', path: '/openapi.json', operationId: 'openApi', summary: 'This document',
    responses: { 200: { description: 'the OpenAPI 3.1 document' } }, errors: [],
  },
];
