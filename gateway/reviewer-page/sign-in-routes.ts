import type { FastifyInstance } from 'fastify';
import { AuthenticationError, authorize, type Principal } from '../auth/authorize';
import { ForbiddenError } from '../http/errors';
import { markSensitive, setPrincipal } from '../http/request-log';
import { clearCookie, cookieNames, readCookie, serializeCookie } from './cookies';
import { flashLifetimeSeconds, openFlash, sealFlash } from './flash';
import { formOf } from './form-body';
import { addCookie, CsrfError, isHttps, type PageContext } from './page-context';
import { currentReviewer, requireReviewer, reviewerOf, safeReturnPath, sendSignIn } from './reviewer-session';
import { checkCsrfToken, issueSessionToken, sessionLifetimeMs } from './session';

// Signing in with a reviewer key, and out. The key is checked against the key store exactly as
// an API request's would be, and is never kept: the session cookie holds only the key's id.

const messages = {
  noKey: 'Enter your access key.',
  invalid: 'That access key is not valid. Check that you copied all of it, or ask your administrator for a new one.',
  notReviewer: 'That access key is not a reviewer key. Ask your administrator for one made with --role reviewer.',
  expired: 'The sign-in form expired. Try again.',
};

export function registerSignInRoutes(scope: FastifyInstance, context: PageContext): void {
  scope.get('/', async (request, reply) => {
    if (await currentReviewer(context, request)) return reply.redirect('/review/inbox', 303);
    const flash = openFlash(context.signer, readCookie(request.headers.cookie, cookieNames.flash));
    if (flash !== undefined) addCookie(reply, clearCookie(cookieNames.flash, isHttps(request)));
    return sendSignIn(context, request, reply, { status: 200, ...(flash ? { message: flash } : {}) });
  });

  scope.post('/sign-in', async (request, reply) => {
    const form = formOf(request);
    const next = safeReturnPath(form.get('next'));
    const again = (status: number, message: string) =>
      sendSignIn(context, request, reply, { status, message, ...(next ? { next } : {}) });
    const nonce = readCookie(request.headers.cookie, cookieNames.signIn);
    if (nonce === undefined || !checkCsrfToken(context.signer, nonce, 'sign-in', form.get('csrf'))) {
      return again(403, messages.expired);
    }
    const key = form.text('key');
    if (!key) return again(401, messages.noKey);
    // Cut out of anything logged while serving this request.
    markSensitive(request, key);
    let principal: Principal;
    try {
      principal = await authorize(context.keys, `Bearer ${key}`, 'reviewer');
    } catch (error) {
      if (error instanceof AuthenticationError) {
        request.log.info('reviewer sign-in refused: invalid key');
        return again(401, messages.invalid);
      }
      if (error instanceof ForbiddenError) {
        request.log.info('reviewer sign-in refused: not a reviewer key');
        return again(403, messages.notReviewer);
      }
      throw error;
    }
    setPrincipal(request, reply, principal);
    context.limiter?.admitRequest(principal.tenant);
    const token = issueSessionToken(context.signer, principal.keyId, context.now());
    addCookie(reply, serializeCookie(cookieNames.session, token, {
      maxAgeSeconds: sessionLifetimeMs / 1000, secure: isHttps(request),
    }));
    request.log.info({ reviewer: principal.name }, 'reviewer signed in');
    return reply.redirect(next ?? '/review/inbox', 303);
  });

  scope.post('/sign-out', { preHandler: requireReviewer(context) }, async (request, reply) => {
    const reviewer = reviewerOf(request);
    if (!checkCsrfToken(context.signer, reviewer.sessionToken, 'sign-out', formOf(request).get('csrf'))) {
      throw new CsrfError();
    }
    const secure = isHttps(request);
    addCookie(reply, clearCookie(cookieNames.session, secure));
    addCookie(reply, serializeCookie(cookieNames.flash, sealFlash(context.signer, 'You have signed out.'), {
      maxAgeSeconds: flashLifetimeSeconds, secure,
    }));
    request.log.info('reviewer signed out');
    return reply.redirect('/review', 303);
  });
}
