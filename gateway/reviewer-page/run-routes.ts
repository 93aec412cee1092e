import type { FastifyInstance } from 'fastify';
import { InvalidRequestError, ReviewRefusedError } from '../../client/errors';
import { formatZodError } from '../../contracts/format-error';
import { workflowIdParamsSchema } from '../../contracts/gateway';
import { reviewDecisionSchema, type ReviewDecision, type ReviewView } from '../../contracts/review';
import { markSensitive } from '../http/request-log';
import { parseInput } from '../http/request-input';
import { cookieNames, serializeCookie } from './cookies';
import { flashLifetimeSeconds, sealFlash } from './flash';
import { formOf, type FormFields } from './form-body';
import { runPage, type DecisionFormValues } from './pages/run-page';
import { addCookie, CsrfError, isHttps, sendPage, type PageContext } from './page-context';
import { reviewOfOwnRun } from './reviewer-access';
import { headerFor, requireReviewer, reviewerOf, type SignedInReviewer } from './reviewer-session';
import { checkCsrfToken, csrfToken } from './session';

// A run's review page and its decision forms. A decision goes to the run exactly as the CLI's
// does (SluiceClient.decideReview, reviewer = the key's name); a refusal (the requester deciding
// their own request, an edit the output gates stop, a run decided meanwhile) is shown on the
// page with the reviewer's text kept, and a decision taken returns to the inbox with a message.

const formId = (workflowId: string): string => `decision:${workflowId}`;

/** What the flash says once a decision is taken. */
const takenMessages: Readonly<Record<ReviewDecision['decision'], (workflowId: string) => string>> = {
  approve: (workflowId) => `approved ${workflowId}`,
  edit: (workflowId) => `approved ${workflowId} with your edits`,
  reject: (workflowId) => `rejected ${workflowId}`,
};

/** The decision a form asks for, or a message saying what is missing. */
function decisionOf(form: FormFields, reviewer: string): { decision: ReviewDecision } | { problem: string } {
  const note = form.text('note');
  const withNote = note !== undefined ? { note } : {};
  let candidate: unknown;
  switch (form.get('decision')) {
    case 'approve':
      candidate = { decision: 'approve', reviewer, ...withNote };
      break;
    case 'reject': {
      const reason = form.text('reason');
      if (!reason) return { problem: 'Give a reason for rejecting.' };
      candidate = { decision: 'reject', reviewer, reason, ...withNote };
      break;
    }
    case 'edit': {
      const text = form.text('text');
      if (!text) return { problem: 'Write the answer to release.' };
      candidate = { decision: 'edit', reviewer, text, ...withNote };
      break;
    }
    default:
      return { problem: 'Choose approve, edit or reject.' };
  }
  const parsed = reviewDecisionSchema.safeParse(candidate);
  return parsed.success ? { decision: parsed.data } : { problem: formatZodError(parsed.error) };
}

export function registerRunRoutes(scope: FastifyInstance, context: PageContext): void {
  const page = (
    reviewer: SignedInReviewer, workflowId: string, view: ReviewView,
    refused?: { refusal: string; values: DecisionFormValues },
  ) => runPage({
    reviewer: headerFor(context, reviewer), workflowId, view, now: context.now(),
    csrf: csrfToken(context.signer, reviewer.sessionToken, formId(workflowId)), ...refused,
  });

  scope.get('/runs/:workflowId', { preHandler: requireReviewer(context) }, async (request, reply) => {
    const reviewer = reviewerOf(request);
    const { workflowId } = parseInput(workflowIdParamsSchema, request.params);
    const view = await reviewOfOwnRun(context.client, reviewer.principal, workflowId);
    return sendPage(reply, 200, page(reviewer, workflowId, view));
  });

  scope.post('/runs/:workflowId/decision', { preHandler: requireReviewer(context) }, async (request, reply) => {
    const reviewer = reviewerOf(request);
    const { workflowId } = parseInput(workflowIdParamsSchema, request.params);
    const form = formOf(request);
    if (!checkCsrfToken(context.signer, reviewer.sessionToken, formId(workflowId), form.get('csrf'))) {
      throw new CsrfError();
    }
    const values: DecisionFormValues = {};
    for (const field of ['decision', 'note', 'text', 'reason'] as const) {
      const value = form.get(field);
      if (value === undefined) continue;
      values[field] = value;
      if (field !== 'decision') markSensitive(request, value);
    }
    const view = await reviewOfOwnRun(context.client, reviewer.principal, workflowId);
    const asked = decisionOf(form, reviewer.principal.name);
    if ('problem' in asked) {
      return sendPage(reply, 400, page(reviewer, workflowId, view, { refusal: asked.problem, values }));
    }
    try {
      await context.client.decideReview(workflowId, asked.decision);
    } catch (error) {
      if (!(error instanceof ReviewRefusedError || error instanceof InvalidRequestError)) throw error;
      const refusal = error.message.startsWith(`${workflowId}: `) ? error.message.slice(workflowId.length + 2)
        : error.message;
      // The run as it is now: it may have been decided by someone else meanwhile.
      const now = await reviewOfOwnRun(context.client, reviewer.principal, workflowId).catch(() => view);
      return sendPage(reply, error instanceof ReviewRefusedError ? 409 : 400, page(reviewer, workflowId, now, {
        refusal, values,
      }));
    }
    request.log.info({ workflowId, decision: asked.decision.decision }, 'review decided on the reviewer page');
    const flash = sealFlash(context.signer, takenMessages[asked.decision.decision](workflowId));
    addCookie(reply, serializeCookie(cookieNames.flash, flash, {
      maxAgeSeconds: flashLifetimeSeconds, secure: isHttps(request),
    }));
    return reply.redirect('/review/inbox', 303);
  });
}
