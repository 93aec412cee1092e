import { z } from 'zod';
import { answerRequestSchema, answerResultSchema } from './answer';
import { budgetViewSchema, setBudgetRequestSchema } from './budget';
import { parseEnvironment } from './config';
import { feedbackRecordSchema, feedbackRequestSchema } from './feedback';
import { identifierSchema } from './ids';
import {
  deleteDocumentsRequestSchema, deleteDocumentsResultSchema, ingestProgressSchema, ingestResultSchema,
  inlineDocumentSchema, maxInlineCharacters,
} from './ingest';
import { reviewDecisionSchema, reviewOutcomeSchema, reviewViewSchema } from './review';

// The HTTP gateway's request and response bodies and its limits. The gateway validates with
// these schemas and generates its OpenAPI document from the same ones, so the two never drift.
// Bodies never carry a tenant (or, for decisions, a reviewer): both come from the API key.

/** Stable error codes of `{ error: { code, … } }`; clients branch on these, so they never change meaning. */
export const gatewayErrorCodes = [
  'invalid_request', 'invalid_json', 'invalid_encoding', 'tenant_in_body', 'unauthenticated', 'forbidden',
  'not_found', 'method_not_allowed', 'conflict', 'unprocessable', 'body_too_large', 'unsupported_media_type',
  'rate_limited_requests', 'rate_limited_tokens', 'unavailable', 'internal',
] as const;
export const gatewayErrorCodeSchema = z.enum(gatewayErrorCodes);
export type GatewayErrorCode = z.infer<typeof gatewayErrorCodeSchema>;

/** The one error shape: every 4xx and 5xx body. `field` names the request field at fault, when one is. */
export const errorResponseSchema = z.object({
  error: z.object({ code: gatewayErrorCodeSchema, message: z.string(), field: z.string().optional() }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** A workflow id in a path, as earlier responses returned it. */
export const workflowIdParamsSchema = z.strictObject({ workflowId: z.string().min(1).max(400) });

const { tenant: _tenant, requestId: _requestId, ...answerFields } = answerRequestSchema.shape;

/** `POST /v1/answers`: the answer request without its tenant, and whether to wait for the result. */
export const answerBodySchema = z.strictObject({
  ...answerFields,
  /** Business id; the same id returns the same run. A random one when absent. */
  requestId: identifierSchema.optional(),
  /** Wait for the result (or for the run to wait on a reviewer); false answers 202 at once. */
  wait: z.boolean().default(true),
});
export type AnswerBody = z.infer<typeof answerBodySchema>;

/**
 * `POST /v1/answers/stream`: the same request, answered as server-sent events (contracts/stream.ts).
 * No `wait`: the stream always follows the run until its result, or until it waits for a reviewer.
 */
export const answerStreamBodySchema = answerBodySchema.omit({ wait: true });
export type AnswerStreamBody = z.infer<typeof answerStreamBodySchema>;

/** `202` of `POST /v1/answers` with `wait: false`: where to poll. */
export const answerStartedSchema = z.object({ workflowId: z.string(), runId: z.string() });

/** Where an answer run is: `completed` carries the result. */
export const answerRunStatusSchema = z.enum(['running', 'pending_review', 'completed']);
export const answerRunResponseSchema = z.object({
  workflowId: z.string(),
  runId: z.string().optional(),
  status: answerRunStatusSchema,
  /** Present when `status` is `completed`. */
  result: answerResultSchema.optional(),
});
export type AnswerRunResponse = z.infer<typeof answerRunResponseSchema>;

/** `POST /v1/ingest`: documents inline (the gateway reads no server paths). */
export const ingestBodySchema = z
  .strictObject({
    /** Business id of the ingest; part of the workflow id. A random one when absent. */
    ingestId: identifierSchema.optional(),
    documents: z.array(inlineDocumentSchema).min(1, 'give at least one document').max(1000, 'at most 1000 documents'),
  })
  .refine((body) => body.documents.reduce((sum, document) => sum + document.text.length, 0) <= maxInlineCharacters, {
    message: `documents may hold at most ${maxInlineCharacters} characters in all`, path: ['documents'],
  });
export type IngestBody = z.infer<typeof ingestBodySchema>;

export const ingestStartedSchema = z.object({ workflowId: z.string() });
export const ingestRunResponseSchema = z.object({
  workflowId: z.string(),
  status: z.enum(['running', 'completed']),
  /** Present while running. */
  progress: ingestProgressSchema.optional(),
  /** Present when completed. */
  result: ingestResultSchema.optional(),
});
export type IngestRunResponse = z.infer<typeof ingestRunResponseSchema>;

const { tenant: _deleteTenant, requestId: _deleteRequestId, ...deleteFields } = deleteDocumentsRequestSchema.shape;
/**
 * `POST /v1/documents/delete`: documents to remove from the tenant's store, all their chunks (a JSON
 * lines file's id removes its records too). Repeating the request is harmless.
 */
export const deleteDocumentsBodySchema = z.strictObject({
  ...deleteFields,
  /** Business id of the deletion; repeating it returns the first result. A random one when absent. */
  requestId: identifierSchema.optional(),
});
export type DeleteDocumentsBody = z.infer<typeof deleteDocumentsBodySchema>;
export const deleteDocumentsResponseSchema = deleteDocumentsResultSchema;

/** `PUT /v1/budget` (operator keys): the tenant's limits, merged into the current ones unless `mode` is `replace`. */
export const budgetBodySchema = setBudgetRequestSchema.omit({ tenant: true });
export type BudgetBody = z.infer<typeof budgetBodySchema>;
/** `GET` and `PUT /v1/budget`: limits, usage in each scope's current period, open reservations. */
export const budgetResponseSchema = budgetViewSchema;

/** `GET /v1/reviews` query: the caller's tenant always; one reviewer group optionally. */
export const reviewListQuerySchema = z.strictObject({
  group: identifierSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const pendingReviewSchema = z.object({
  workflowId: z.string(),
  runId: z.string(),
  feature: z.string().optional(),
  group: z.string().optional(),
  promptVersion: z.string().optional(),
  /** ISO time the run started. */
  startedAt: z.string(),
});
export const reviewListResponseSchema = z.object({ reviews: z.array(pendingReviewSchema) });
export type ReviewListResponse = z.infer<typeof reviewListResponseSchema>;

/** What a reviewer sees (the run's reviewState query). */
export const reviewViewResponseSchema = reviewViewSchema;

const [approveDecision, rejectDecision, editDecision] = reviewDecisionSchema.options;
/** `POST /v1/reviews/{workflowId}/decision`: a review decision; the reviewer is the key's name. */
export const reviewDecisionBodySchema = z.discriminatedUnion('decision', [
  approveDecision.omit({ reviewer: true }),
  rejectDecision.omit({ reviewer: true }),
  editDecision.omit({ reviewer: true }),
]);
export type ReviewDecisionBody = z.infer<typeof reviewDecisionBodySchema>;
export const reviewOutcomeResponseSchema = reviewOutcomeSchema;

const { tenant: _feedbackTenant, feedbackId: _feedbackId, ...feedbackFields } = feedbackRequestSchema.shape;
/** `POST /v1/feedback`: a rating of one of the caller's answer runs. */
export const feedbackBodySchema = z.strictObject({
  ...feedbackFields,
  /** Business id of the rating; repeating it returns the first result. A random one when absent. */
  feedbackId: identifierSchema.optional(),
});
export type FeedbackBody = z.infer<typeof feedbackBodySchema>;
export const feedbackResponseSchema = feedbackRecordSchema;

export const healthResponseSchema = z.object({ status: z.literal('ok') });
export const readinessResponseSchema = z.object({ status: z.literal('ready') });

/** Per-tenant limits and request size. */
export const gatewayLimitsSchema = z.object({
  /** Requests per second per tenant (refill rate of its request bucket). @default 10 */
  requestsPerSecond: z.coerce.number().positive().max(1_000_000).default(10),
  /** Requests a tenant may send at once (request bucket size). @default requestsPerSecond, rounded up */
  requestBurst: z.coerce.number().int().positive().optional(),
  /** Estimated model tokens per minute per tenant (token bucket size and refill per minute). @default 60000 */
  tokensPerMinute: z.coerce.number().int().positive().default(60_000),
  /** Completion tokens added to each question's estimate (question characters / 4). @default 512 */
  completionTokenAllowance: z.coerce.number().int().nonnegative().default(512),
  /** Largest request body in bytes; more is 413. @default 1 MiB */
  bodyLimitBytes: z.coerce.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Tenants whose buckets are kept; the least recently seen is dropped beyond this. @default 10000 */
  maxTenants: z.coerce.number().int().positive().default(10_000),
});
export type GatewayLimits = z.infer<typeof gatewayLimitsSchema>;
export type GatewayLimitsInput = z.input<typeof gatewayLimitsSchema>;

/** The gateway process: where it listens, its key file, its limits. */
export const gatewayConfigSchema = gatewayLimitsSchema.extend({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** @default `<SLUICE_DATA_DIR>/gateway-keys.json` */
  keysFile: z.string().min(1).optional(),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** Environment variable that sets each gateway setting. */
export const gatewayEnvironmentVariables: Record<keyof GatewayConfig, string> = {
  requestsPerSecond: 'SLUICE_GATEWAY_RPS',
  requestBurst: 'SLUICE_GATEWAY_BURST',
  tokensPerMinute: 'SLUICE_GATEWAY_TOKENS_PER_MINUTE',
  completionTokenAllowance: 'SLUICE_GATEWAY_COMPLETION_TOKENS',
  bodyLimitBytes: 'SLUICE_GATEWAY_BODY_LIMIT',
  maxTenants: 'SLUICE_GATEWAY_MAX_TENANTS',
  host: 'SLUICE_GATEWAY_HOST',
  port: 'SLUICE_GATEWAY_PORT',
  keysFile: 'SLUICE_GATEWAY_KEYS_FILE',
};

/** Reads the gateway settings from the environment; a ConfigError names every variable at fault. */
export function loadGatewayConfig(environment: Record<string, string | undefined>): GatewayConfig {
  return parseEnvironment(gatewayConfigSchema, gatewayEnvironmentVariables, environment);
}
