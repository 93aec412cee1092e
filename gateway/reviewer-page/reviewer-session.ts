import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/authorize';
import { setPrincipal } from '../http/request-log';
import { clearCookie, cookieNames, readCookie, serializeCookie } from './cookies';
import type { SignedInHeader } from './pages/layout';
import { signInPage } from './pages/sign-in-page';
import { addCookie, isHttps, sendPage, type PageContext } from './page-context';
import { csrfToken, readSessionToken } from './session';

// Who is signed in, checked on every request: a valid signed session cookie whose key still
// exists and still holds the reviewer role. Anything less shows the sign-in form instead.

/** A signed-in reviewer: the key's principal and the session token its CSRF tokens are bound to. */
export interface SignedInReviewer {
  principal: Principal;
  sessionToken: string;
}

const signedIn = new WeakMap<FastifyRequest, SignedInReviewer>();

/** The reviewer a request's session cookie stands for, if the session and its key are valid. */
export async function currentReviewer(
  context: PageContext, request: FastifyRequest,
): Promise<SignedInReviewer | undefined> {
  const sessionToken = readCookie(request.headers.cookie, cookieNames.session);
  const session = readSessionToken(context.signer, sessionToken, context.now());
  if (!session || sessionToken === undefined) return undefined;
  // Looked up every time: a revoked key ends its sessions on their next request.
  const record = await context.keys.find(session.keyId);
  if (!record || !record.roles.includes('reviewer')) return undefined;
  return {
    sessionToken,
    principal: {
      keyId: record.id, tenant: record.tenant, name: record.name, roles: record.roles,
      ...(record.reviewerGroups ? { reviewerGroups: record.reviewerGroups } : {}),
    },
  };
}

/** Paths a sign-in may return to: the inbox or a run page, never another site or page. */
const returnPathPattern = /^\/review\/(?:inbox|runs\/[A-Za-z0-9~._:%-]{1,1200})$/;

/** `path` when a sign-in may return to it. */
export const safeReturnPath = (path: string | undefined): string | undefined =>
  path !== undefined && returnPathPattern.test(path) ? path : undefined;

export interface SignInFormOptions {
  status: number;
  message?: string;
  next?: string;
}

/**
 * Shows the sign-in form. Its CSRF token is bound to a random value in a cookie (there is no
 * session yet), so another site cannot sign a browser in under the other site's key.
 */
export function sendSignIn(
  context: PageContext, request: FastifyRequest, reply: FastifyReply, options: SignInFormOptions,
): FastifyReply {
  const existing = readCookie(request.headers.cookie, cookieNames.signIn);
  const nonce = existing !== undefined && /^[0-9a-f]{32}$/.test(existing) ? existing : randomBytes(16).toString('hex');
  if (nonce !== existing) addCookie(reply, serializeCookie(cookieNames.signIn, nonce, { secure: isHttps(request) }));
  const next = safeReturnPath(options.next);
  return sendPage(reply, options.status, signInPage({
    csrf: csrfToken(context.signer, nonce, 'sign-in'),
    ...(options.message ? { message: options.message } : {}), ...(next ? { next } : {}),
  }));
}

/**
 * The preHandler of every signed-in page: sets the reviewer (and the tenant on the request's
 * log lines) and counts the request against the tenant's rate; without a valid session it
 * answers 401 with the sign-in form, clearing a cookie that no longer stands for anyone.
 */
export function requireReviewer(context: PageContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const reviewer = await currentReviewer(context, request);
    if (!reviewer) {
      const presented = readCookie(request.headers.cookie, cookieNames.session) !== undefined;
      if (presented) addCookie(reply, clearCookie(cookieNames.session, isHttps(request)));
      return sendSignIn(context, request, reply, {
        status: 401,
        ...(presented ? { message: 'Your session has ended. Sign in again.' } : {}),
        ...(request.method === 'GET' ? { next: request.url } : {}),
      });
    }
    signedIn.set(request, reviewer);
    setPrincipal(request, reply, reviewer.principal);
    context.limiter?.admitRequest(reviewer.principal.tenant);
    return undefined;
  };
}

/** The reviewer of a request that passed `requireReviewer`. */
export function reviewerOf(request: FastifyRequest): SignedInReviewer {
  const reviewer = signedIn.get(request);
  if (!reviewer) throw new Error('no reviewer: the route is missing its requireReviewer hook');
  return reviewer;
}

/** The reviewer of a request, if it passed `requireReviewer` (error pages use it for their header). */
export const maybeReviewerOf = (request: FastifyRequest): SignedInReviewer | undefined => signedIn.get(request);

/** The page header for a signed-in reviewer, with the sign-out form's CSRF token. */
export function headerFor(context: PageContext, reviewer: SignedInReviewer): SignedInHeader {
  return {
    name: reviewer.principal.name, tenant: reviewer.principal.tenant,
    signOutCsrf: csrfToken(context.signer, reviewer.sessionToken, 'sign-out'),
  };
}
