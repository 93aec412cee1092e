import type { GatewayErrorCode } from '../../contracts/gateway';

// Errors the gateway's own code throws; the error handler turns each into its status and the one
// JSON error shape. Client errors (client/errors.ts) are mapped there too.

/** Base class: an HTTP status, a stable code and a message safe to show the caller. */
export class GatewayHttpError extends Error {
  override readonly name: string = 'GatewayHttpError';
  constructor(
    readonly status: number,
    readonly code: GatewayErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** A body, query or path parameter failed its schema; `field` is the path of the first issue. */
export class InvalidInputError extends GatewayHttpError {
  override readonly name = 'InvalidInputError';
  constructor(message: string, field?: string) {
    super(400, 'invalid_request', message, field);
  }
}

/** The body is not JSON (or is empty). */
export class MalformedJsonError extends GatewayHttpError {
  override readonly name = 'MalformedJsonError';
  constructor(message: string) {
    super(400, 'invalid_json', message);
  }
}

/** The body is not valid UTF-8, or a JSON string in it holds a lone surrogate (`"\ud800"`). */
export class InvalidEncodingError extends GatewayHttpError {
  override readonly name = 'InvalidEncodingError';
  constructor(message: string, field?: string) {
    super(400, 'invalid_encoding', message, field);
  }
}

/** The body names a field the credential decides (`tenant`, a decision's `reviewer`). */
export class CredentialFieldInBodyError extends GatewayHttpError {
  override readonly name = 'CredentialFieldInBodyError';
  constructor(field: string) {
    super(400, 'tenant_in_body', `${field} comes from the API key, not the body: remove "${field}"`, field);
  }
}

/** No such route, or a run the caller may not see (another tenant's reads exactly as a missing one). */
export class NotFoundError extends GatewayHttpError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

/** The path exists, but not under this method; `Allow` lists the methods that serve it. */
export class MethodNotAllowedError extends GatewayHttpError {
  override readonly name = 'MethodNotAllowedError';
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'method_not_allowed', `${method} is not served here; use ${allowed.join(' or ')}`, undefined, {
      allow: allowed.join(', '),
    });
  }
}

/** The credential is valid but lacks the role, or the reviewer group, the request needs. */
export class ForbiddenError extends GatewayHttpError {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/** A tenant is over one of its limits; `Retry-After` says when the request would pass. */
export class RateLimitedError extends GatewayHttpError {
  override readonly name = 'RateLimitedError';
  constructor(readonly limit: 'requests' | 'tokens', message: string, retryAfterSeconds: number) {
    super(429, limit === 'requests' ? 'rate_limited_requests' : 'rate_limited_tokens', message, undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}
