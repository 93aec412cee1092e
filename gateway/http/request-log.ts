import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Principal } from '../auth/authorize';

// What the gateway logs, and what it must never log. Requests are logged with their headers
// (useful when tracing a client) but the credential is censored, and a question or document
// text a request carried is scrubbed from any error logged while serving it.

/** Headers that carry credentials; censored wherever a request is logged. */
const redactedPaths = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]'];

/** A request as logged: method, path, headers (credentials censored by the logger), peer. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return { method: request.method, url: request.url, headers: { ...request.headers }, remoteAddress: request.ip };
}

/** The gateway's logger: a child of the process logger that censors credentials whatever its parent does. */
export function gatewayLogger(base: Logger): Logger {
  return base.child(
    { component: 'gateway' },
    { redact: { paths: redactedPaths, censor: '[redacted]' }, serializers: { req: serializeRequest } },
  );
}

const sensitiveTexts = new WeakMap<FastifyRequest, string[]>();
const principals = new WeakMap<FastifyRequest, Principal>();

/** Marks text the request carried (a question) that must not appear in the logs. */
export function markSensitive(request: FastifyRequest, text: string): void {
  const texts = sensitiveTexts.get(request) ?? [];
  if (text.trim()) texts.push(text);
  sensitiveTexts.set(request, texts);
}

/** `text` with the request's sensitive texts cut out. */
export function scrub(request: FastifyRequest, text: string): string {
  let scrubbed = text;
  for (const sensitive of sensitiveTexts.get(request) ?? []) scrubbed = scrubbed.split(sensitive).join('[redacted]');
  return scrubbed;
}

/** Records who is calling and has every later line of the request (the completion line too) name the tenant. */
export function setPrincipal(request: FastifyRequest, reply: FastifyReply, principal: Principal): void {
  principals.set(request, principal);
  const log = request.log.child({ tenant: principal.tenant, keyId: principal.keyId });
  request.log = log;
  reply.log = log;
}

/** The caller of an authenticated route (set by its onRequest hook before any handler runs). */
export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (!principal) throw new Error('no principal: the route is missing its authentication hook');
  return principal;
}
