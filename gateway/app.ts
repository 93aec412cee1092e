import fastify, {
  type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { gatewayLimitsSchema, type GatewayLimitsInput } from '../contracts/gateway';
import { tokenAuthorizer } from './auth/authorize';
import type { ApiKeyStore } from './auth/key-store';
import { registerCodecRoutes, type CodecRoutesOptions } from './codec-routes';
import type { GatewayClient } from './gateway-client';
import { toErrorReply } from './http/error-response';
import { MethodNotAllowedError, NotFoundError } from './http/errors';
import { createGuard } from './http/guard';
import { installJsonBodyParser } from './http/json-body';
import { gatewayLogger, scrub } from './http/request-log';
import { recordRouteMethods } from './http/route-methods';
import { TenantLimiter } from './limits/tenant-limiter';
import { buildOpenApiDocument } from './openapi/document';
import { registerReviewerPage } from './reviewer-page/register-reviewer-page';
import { registerAnswerStreamRoutes } from './routes/answer-stream';
import { registerAnswerRoutes } from './routes/answers';
import { registerBudgetRoutes } from './routes/budget';
import { registerDocumentRoutes } from './routes/documents';
import { registerFeedbackRoutes } from './routes/feedback';
import { registerHealthRoutes } from './routes/health';
import { registerIngestRoutes } from './routes/ingest';
import { registerReviewRoutes } from './routes/reviews';

// The HTTP gateway: Sluice's pipelines for services in any language, over a typed client. Every
// request is authenticated by API key (the key decides the tenant), limited per tenant, validated
// with the zod schemas of contracts/gateway.ts and answered with one JSON error shape on failure.

export interface GatewayDependencies {
  client: GatewayClient;
  keys: ApiKeyStore;
  /** Per-tenant limits and body size; unset fields take contracts/gateway.ts defaults. */
  limits?: GatewayLimitsInput;
  /** The process logger; the gateway logs through a child that censors credentials. */
  logger: Logger;
  /** Milliseconds, for the rate limiter's buckets. @default Date.now */
  now?: () => number;
  /** Serves the codec server at /codec for operator keys, when payloads are encrypted. */
  codecServer?: Omit<CodecRoutesOptions, 'authorize'>;
}

/** Answers an error Fastify finds before routing (a path that is not valid UTF-8) in the one shape. */
function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const response = toErrorReply(error, request.id);
  void reply.code(response.status).headers(response.headers).send(response.body);
}

/** Builds the gateway (routes, hooks, error handling) without listening; `inject` tests it as is. */
export function buildGateway(dependencies: GatewayDependencies): FastifyInstance {
  const limits = gatewayLimitsSchema.parse(dependencies.limits ?? {});
  // Typed as Fastify's logger so the instance has Fastify's default type, not one bound to pino's.
  const logger: FastifyBaseLogger = gatewayLogger(dependencies.logger);
  const app = fastify({
    loggerInstance: logger,
    bodyLimit: limits.bodyLimitBytes,
    // Ids are the gateway's own: a client-chosen one could forge or collide in the logs.
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    // Workflow ids run to 400 characters (contracts/gateway.ts); the router's default stops at 100.
    routerOptions: { maxParamLength: 512 },
    // Errors found before routing (a path that is not valid percent-encoded UTF-8) get the one shape too.
    frameworkErrors: sendFrameworkError,
  });

  installJsonBodyParser(app, limits.bodyLimitBytes);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const routeMethods = recordRouteMethods(app);
  app.setNotFoundHandler(async (request) => {
    const allowed = routeMethods.methodsFor(request.url);
    if (allowed.length > 0) throw new MethodNotAllowedError(request.method, allowed);
    throw new NotFoundError('no such route');
  });
  app.setErrorHandler(async (error, request, reply) => {
    const response = toErrorReply(error, request.id);
    if (!response.expected) {
      // Stack and message, with any question the request carried cut out; never the body itself.
      const detail = error instanceof Error ? { type: error.name, stack: scrub(request, error.stack ?? error.message) }
        : { type: typeof error };
      request.log.error({ failure: detail }, 'request failed');
    } else if (response.status >= 500) {
      request.log.warn({ code: response.body.error.code }, 'request failed');
    }
    return reply.code(response.status).headers(response.headers).send(response.body);
  });

  const limiter = new TenantLimiter(limits, dependencies.now);
  const context = { client: dependencies.client, limits, limiter, guard: createGuard(dependencies.keys, limiter) };
  registerHealthRoutes(app, dependencies.client);
  const openApi = buildOpenApiDocument();
  app.get('/openapi.json', async () => openApi);
  registerAnswerRoutes(app, context);
  registerAnswerStreamRoutes(app, context);
  registerIngestRoutes(app, context);
  registerDocumentRoutes(app, context);
  registerReviewRoutes(app, context);
  registerFeedbackRoutes(app, context);
  registerBudgetRoutes(app, context);
  registerReviewerPage(app, { client: dependencies.client, keys: dependencies.keys, limiter, now: dependencies.now });
  if (dependencies.codecServer) {
    const authorize = tokenAuthorizer(dependencies.keys, 'operator');
    void registerCodecRoutes(app, { ...dependencies.codecServer, authorize });
  }
  return app;
}
