import type { FastifyInstance } from 'fastify';
import { clearCookie, cookieNames, readCookie } from './cookies';
import { openFlash } from './flash';
import { loadInbox } from './inbox';
import { inboxPage } from './pages/inbox-page';
import { addCookie, isHttps, sendPage, type PageContext } from './page-context';
import { headerFor, requireReviewer, reviewerOf } from './reviewer-session';

// GET /review/inbox: the runs waiting for this reviewer, and the message of the last decision.

export function registerInboxRoutes(scope: FastifyInstance, context: PageContext): void {
  scope.get('/inbox', { preHandler: requireReviewer(context) }, async (request, reply) => {
    const reviewer = reviewerOf(request);
    const entries = await loadInbox(context.client, reviewer.principal);
    const flash = openFlash(context.signer, readCookie(request.headers.cookie, cookieNames.flash));
    // Shown once: the cookie goes with this page.
    if (flash !== undefined) addCookie(reply, clearCookie(cookieNames.flash, isHttps(request)));
    return sendPage(reply, 200, inboxPage({
      reviewer: headerFor(context, reviewer), entries, now: context.now(), ...(flash ? { flash } : {}),
    }));
  });
}
