import type { FastifyInstance } from 'fastify';
import type { ApiKeyStore } from '../auth/key-store';
import { toErrorReply } from '../http/error-response';
import { scrub } from '../http/request-log';
import type { TenantLimiter } from '../limits/tenant-limiter';
import { installFormBodyParser } from './form-body';
import { registerInboxRoutes } from './inbox-routes';
import { errorPage } from './pages/error-page';
import { stylesheetPath } from './pages/layout';
import { sendPage, type PageContext, type ReviewerPageClient } from './page-context';
import { headerFor, maybeReviewerOf } from './reviewer-session';
import { registerRunRoutes } from './run-routes';
import { loadSessionSecret } from './session-secret';
import { registerSignInRoutes } from './sign-in-routes';
import { Signer } from './signer';
import { reviewerStylesheet } from './styles';

// The reviewer page (/review): server-rendered HTML for reviewers who are not engineers, on the
// gateway's port. It lives in a Fastify scope of its own: form bodies, HTML error pages and
// strict browser headers apply here, and the JSON API outside keeps its own.

export interface ReviewerPageOptions {
  client: ReviewerPageClient;
  keys: ApiKeyStore;
  /** Counts each signed-in page request against its tenant's request rate. */
  limiter?: Pick<TenantLimiter, 'admitRequest'>;
  /** Milliseconds, for session expiry. @default Date.now */
  now?: () => number;
  /** Read for SLUICE_GATEWAY_SESSION_SECRET. @default process.env */
  environment?: Record<string, string | undefined>;
}

/** Headers of every reviewer page response: no script, no framing, no sniffing, no caching, no referrer. */
export const reviewerPageHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': 'default-src \'none\'; style-src \'self\'; form-action \'self\'; frame-ancestors \'none\'',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Mounts the reviewer page under /review; a too-short session secret is a ConfigError now, not at sign-in. */
export function registerReviewerPage(app: FastifyInstance, options: ReviewerPageOptions): void {
  const { secret } = loadSessionSecret(options.environment ?? process.env);
  const context: PageContext = {
    client: options.client, keys: options.keys, signer: new Signer(secret), limiter: options.limiter,
    now: options.now ?? Date.now,
  };
  void app.register(async (scope) => {
    installFormBodyParser(scope);
    scope.addHook('onSend', async (_request, reply) => {
      reply.headers(reviewerPageHeaders);
      // Pages hold drafts and questions: never kept by a browser or proxy cache.
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });

    scope.setErrorHandler(async (error, request, reply) => {
      const response = toErrorReply(error, request.id);
      if (!response.expected) {
        // Stack and message with the request's sensitive texts (key, edited answer, notes) cut out.
        const detail = error instanceof Error
          ? { type: error.name, stack: scrub(request, error.stack ?? error.message) } : { type: typeof error };
        request.log.error({ failure: detail }, 'reviewer page failed');
      }
      const message = response.body.error.code === 'unsupported_media_type'
        ? 'send the form as application/x-www-form-urlencoded' : response.body.error.message;
      const reviewer = maybeReviewerOf(request);
      reply.headers(response.headers);
      return sendPage(reply, response.status, errorPage(response.status, message,
        reviewer ? headerFor(context, reviewer) : undefined));
    });
    scope.setNotFoundHandler(async (request, reply) => {
      const reviewer = maybeReviewerOf(request);
      return sendPage(reply, 404, errorPage(404, 'There is no page at this address.',
        reviewer ? headerFor(context, reviewer) : undefined));
    });

    scope.get(stylesheetPath.slice('/review'.length), async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(reviewerStylesheet));
    registerSignInRoutes(scope, context);
    registerInboxRoutes(scope, context);
    registerRunRoutes(scope, context);
  }, { prefix: '/review' });
}
