import {
  ExecutionConflictError, InvalidRequestError, ReviewRefusedError, TemporalUnavailableError, UnknownRunError,
  WorkflowRunError,
} from '../../client/errors';
import { errorTypes } from '../../contracts/error-types';
import type { ErrorResponse, GatewayErrorCode } from '../../contracts/gateway';
import { GatewayHttpError } from './errors';

// Every error, whoever threw it, as one status and the one JSON error shape. Expected errors
// carry their own message; anything else is a 500 whose message says only where to look.

export interface ErrorReply {
  status: number;
  body: ErrorResponse;
  headers: Readonly<Record<string, string>>;
  /** False for errors nobody planned (500): they are logged with their stack. */
  expected: boolean;
}

/** Failure types of a run that the request itself caused: retrying it unchanged cannot help. */
const requestFailureTypes: ReadonlySet<string> = new Set([
  errorTypes.invalidInput, errorTypes.sourceNotFound, errorTypes.sourceNotAllowed, errorTypes.unreadableSource,
  errorTypes.policyViolation, errorTypes.contextWindowExceeded, errorTypes.unknownTenant,
]);

/** Fastify's own errors that a client causes, by their code (malformed JSON is http/json-body.ts's). */
const frameworkErrors: Readonly<Record<string, [number, GatewayErrorCode, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'the body is larger than this gateway accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'the Content-Length does not match the body'],
  FST_ERR_BAD_URL: [400, 'invalid_request', 'the path is not valid: percent-encoded bytes must be UTF-8'],
  FST_ERR_MAX_PARAM_LENGTH: [400, 'invalid_request', 'a path parameter is too long'],
};

const reply = (
  status: number, code: GatewayErrorCode, message: string, extra: Partial<Omit<ErrorReply, 'body'>> = {},
  field?: string,
): ErrorReply => ({
  status, headers: {}, expected: true, ...extra,
  body: { error: { code, message, ...(field !== undefined ? { field } : {}) } },
});

/** The status, body and headers for an error; `requestId` goes into the message of a 500. */
export function toErrorReply(error: unknown, requestId: string): ErrorReply {
  if (error instanceof GatewayHttpError) {
    return reply(error.status, error.code, error.message, { headers: error.headers }, error.field);
  }
  if (error instanceof InvalidRequestError) return reply(400, 'invalid_request', error.message);
  if (error instanceof UnknownRunError) return reply(404, 'not_found', error.message);
  if (error instanceof ExecutionConflictError || error instanceof ReviewRefusedError) {
    return reply(409, 'conflict', error.message);
  }
  if (error instanceof WorkflowRunError && error.failureType === errorTypes.unknownRun) {
    return reply(404, 'not_found', error.message);
  }
  if (error instanceof WorkflowRunError && error.failureType && requestFailureTypes.has(error.failureType)) {
    return reply(422, 'unprocessable', error.message);
  }
  if (error instanceof TemporalUnavailableError) {
    return reply(503, 'unavailable', 'the workflow service is unavailable; retry later', {
      headers: { 'retry-after': '5' },
    });
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  const known = typeof fastifyCode === 'string' ? frameworkErrors[fastifyCode] : undefined;
  if (known) return reply(...known);
  // Matched by name: the gateway does not import the Temporal SDK. A start under an id in use.
  if ((error as { name?: unknown } | null)?.name === 'WorkflowExecutionAlreadyStartedError') {
    return reply(409, 'conflict', 'a run with this id exists already; choose another id');
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply(status, 'invalid_request', 'the request cannot be served as sent');
  }
  return reply(500, 'internal', `internal error; quote request id ${requestId} when reporting it`, { expected: false });
}
