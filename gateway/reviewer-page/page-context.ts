import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyStore } from '../auth/key-store';
import type { GatewayClient } from '../gateway-client';
import { GatewayHttpError } from '../http/errors';
import type { TenantLimiter } from '../limits/tenant-limiter';
import type { SafeHtml } from './html';
import type { Signer } from './signer';

// What the reviewer page's route modules share, and the few reply helpers they all use.

/** The client calls the reviewer page makes: the same as the CLI's and the JSON API's. */
export type ReviewerPageClient = Pick<GatewayClient, 'listReviews' | 'showReview' | 'decideReview'>;

export interface PageContext {
  client: ReviewerPageClient;
  keys: ApiKeyStore;
  signer: Signer;
  /** Counts each signed-in page request against its tenant's request rate, as the JSON API does. */
  limiter: Pick<TenantLimiter, 'admitRequest'> | undefined;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** A POST whose CSRF token is missing or not this session's token for this form. */
export class CsrfError extends GatewayHttpError {
  override readonly name = 'CsrfError';
  constructor() {
    super(403, 'forbidden', 'This form has expired or was not sent from this page. Go back, reload it and try again.');
  }
}

/** Sends a page as HTML with `status`. */
export function sendPage(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/** True when the request reached the gateway over TLS (cookies are then marked Secure). */
export const isHttps = (request: FastifyRequest): boolean => request.protocol === 'https';

/** Adds a Set-Cookie header, keeping any set before. */
export function addCookie(reply: FastifyReply, value: string): void {
  const before = reply.getHeader('set-cookie');
  const all = before === undefined ? [] : Array.isArray(before) ? before.map(String) : [String(before)];
  reply.header('set-cookie', [...all, value]);
}
