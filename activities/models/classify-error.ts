import { ApplicationFailure } from '@temporalio/common';
import { errorTypes, type ErrorType } from '../../contracts/error-types';
import { StreamStalledError } from './stall-guard';

/** Fields both SDKs' APIError classes carry; read structurally so one classifier serves both. */
interface HttpErrorLike {
  status?: number;
  headers?: Headers;
  message: string;
  name: string;
}

const retryable = new Set<ErrorType>([
  errorTypes.rateLimited,
  errorTypes.providerUnavailable,
  errorTypes.providerTimeout,
  errorTypes.malformedResponse,
]);

/** What the classifier decided, before it becomes an ApplicationFailure. */
export interface Classification {
  type: ErrorType;
  retryable: boolean;
  /** From `retry-after` / `retry-after-ms` on a 429. */
  retryAfterMs?: number;
  status?: number;
  message: string;
}

// Wording providers use for an over-long prompt: OpenAI (`context_length_exceeded`), vLLM,
// llama.cpp, TGI and Anthropic ("prompt is too long").
const contextOverflow = new RegExp(
  'context[_ ]length|maximum context|context window|prompt is too long|too many tokens|' +
    "exceeds? the (model's )?(maximum|context)",
  'i',
);

/** Milliseconds from `retry-after-ms`, `retry-after` in seconds, or `retry-after` as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms'));
  if (headers?.get('retry-after-ms') && Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// Duck-typed rather than `instanceof Error`: errors raised inside fetch (undici) may come
// from another realm (jest's vm context, worker threads) and fail an instanceof check.
function isErrorLike(error: unknown): error is { name: string; message: string } {
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return isErrorLike(error) && typeof (error as { status?: unknown }).status === 'number';
}

// Providers echo (partly masked) keys in auth errors, e.g. "Incorrect API key provided: sk-ab***yz".
// Failure messages land in workflow history and logs, so anything key-shaped is cut out.
const keyShaped = /\b(sk|pk|rk|key|api[_-]?key)[-_][A-Za-z0-9_*-]{4,}/gi;
export const redactSecrets = (message: string): string => message.replace(keyShaped, '[redacted]');

const classification = (type: ErrorType, message: string, extra: Partial<Classification> = {}): Classification => ({
  type,
  retryable: retryable.has(type),
  message: redactSecrets(message),
  ...extra,
});

/**
 * Maps an error thrown by an adapter (OpenAI or Anthropic SDK, fetch, JSON parsing) to a failure
 * type.
 */
export function classifyProviderError(error: unknown): Classification {
  if (error instanceof StreamStalledError) return classification(errorTypes.providerTimeout, error.message);
  if (isHttpError(error)) {
    const status = error.status!;
    const message = `HTTP ${status}: ${error.message}`.slice(0, 500);
    if (status === 401 || status === 403) return classification(errorTypes.authFailure, message, { status });
    if (status === 429)
      return classification(errorTypes.rateLimited, message, { status, retryAfterMs: retryAfterMs(error.headers) });
    if (status === 408) return classification(errorTypes.providerTimeout, message, { status });
    if (status === 413 || ((status === 400 || status === 422) && contextOverflow.test(error.message)))
      return classification(errorTypes.contextWindowExceeded, message, { status });
    if (status >= 500 || status === 409) return classification(errorTypes.providerUnavailable, message, { status });
    return classification(errorTypes.invalidModelRequest, message, { status });
  }
  if (isErrorLike(error)) {
    // Both SDKs name their timeout error APIConnectionTimeoutError and their network error
    // APIConnectionError.
    if (
      error.name === 'APIConnectionTimeoutError' ||
      (error as object).constructor?.name === 'APIConnectionTimeoutError' ||
      /timed? ?out/i.test(error.message)
    )
      return classification(errorTypes.providerTimeout, error.message);
    if (error.name === 'SyntaxError' || /JSON|Unexpected token|could not parse/i.test(error.message))
      return classification(errorTypes.malformedResponse, error.message);
    if (
      error.name === 'APIConnectionError' ||
      /ECONNRESET|ECONNREFUSED|socket hang up|terminated|fetch failed|network/i.test(error.message)
    ) {
      return classification(errorTypes.providerUnavailable, error.message);
    }
    return classification(errorTypes.providerUnavailable, `${error.name}: ${error.message}`);
  }
  return classification(errorTypes.providerUnavailable, String(error));
}

/**
 * The failure the activity throws. A 429 carries the provider's retry-after as the next
 * retry delay, so Temporal waits exactly as long as asked instead of its own backoff.
 */
export function toApplicationFailure(
  classified: Classification,
  details: { provider: string; modelId: string; attempt: number; queueWaitMs?: number },
): ApplicationFailure {
  return ApplicationFailure.create({
    type: classified.type,
    message: classified.message,
    nonRetryable: !classified.retryable,
    details: [{ ...details, status: classified.status }],
    ...(classified.retryAfterMs !== undefined
      ? { nextRetryDelay: Math.max(1, Math.round(classified.retryAfterMs)) }
      : {}),
  });
}
