import type { FastifyInstance } from 'fastify';
import {
  reviewDecisionBodySchema, reviewListQuerySchema, workflowIdParamsSchema, type ReviewListResponse,
} from '../../contracts/gateway';
import type { ReviewView } from '../../contracts/review';
import type { Principal } from '../auth/authorize';
import type { GatewayClient } from '../gateway-client';
import { ForbiddenError, NotFoundError } from '../http/errors';
import { parseBody, parseInput, requireOwnWorkflowId } from '../http/request-input';
import { principalOf } from '../http/request-log';
import type { RouteContext } from './route-context';

// Human review over HTTP: a reviewer key lists, reads and decides its own tenant's runs waiting
// for review, in its reviewer groups when the key names some. The reviewer id is the key's name.

const mayReviewGroup = (principal: Principal, group: string | undefined): boolean =>
  !principal.reviewerGroups || (group !== undefined && principal.reviewerGroups.includes(group));

/** The review view of one of the principal's tenant's runs, once its group is shown to be theirs. */
async function ownReview(client: GatewayClient, principal: Principal, workflowId: string): Promise<ReviewView> {
  requireOwnWorkflowId(workflowId, 'answer', principal.tenant);
  const view = await client.showReview(workflowId);
  // The id already names the tenant; the run's own record must agree (runs squatting an id do not).
  if (view.tenant !== principal.tenant) throw new NotFoundError(`no run has the workflow id ${workflowId}`);
  if (!mayReviewGroup(principal, view.group)) {
    throw new ForbiddenError(`this API key may not review group ${view.group ?? '(none)'}`);
  }
  return view;
}

export function registerReviewRoutes(app: FastifyInstance, { client, guard }: RouteContext): void {
  app.get('/v1/reviews', { onRequest: guard('reviewer') }, async (request) => {
    const principal = principalOf(request);
    const { group, limit } = parseInput(reviewListQuerySchema, request.query);
    if (group !== undefined && !mayReviewGroup(principal, group)) {
      throw new ForbiddenError(`this API key may not review group ${group}`);
    }
    const groups = group !== undefined ? [group] : principal.reviewerGroups ?? [undefined];
    const found = (await Promise.all(groups.map((each) => client.listReviews({
      tenant: principal.tenant, limit, ...(each !== undefined ? { group: each } : {}),
    })))).flat();
    const reviews = found
      .filter((review) => review.tenant === principal.tenant)
      .sort((left, right) => left.startedAt.getTime() - right.startedAt.getTime())
      .slice(0, limit)
      .map(({ tenant: _tenant, startedAt, ...review }) => ({ ...review, startedAt: startedAt.toISOString() }));
    const response: ReviewListResponse = { reviews };
    return response;
  });

  app.get('/v1/reviews/:workflowId', { onRequest: guard('reviewer') }, async (request) => {
    const { workflowId } = parseInput(workflowIdParamsSchema, request.params);
    return ownReview(client, principalOf(request), workflowId);
  });

  app.post('/v1/reviews/:workflowId/decision', { onRequest: guard('reviewer') }, async (request) => {
    const principal = principalOf(request);
    const { workflowId } = parseInput(workflowIdParamsSchema, request.params);
    const decision = parseBody(reviewDecisionBodySchema, request.body, ['tenant', 'reviewer']);
    await ownReview(client, principal, workflowId);
    return client.decideReview(workflowId, { ...decision, reviewer: principal.name });
  });
}
