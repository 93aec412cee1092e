import type { FastifyInstance } from 'fastify';
import { feedbackBodySchema } from '../../contracts/gateway';
import { NotFoundError } from '../http/errors';
import { isOwnWorkflowId, parseBody } from '../http/request-input';
import { principalOf } from '../http/request-log';
import type { RouteContext } from './route-context';

// `POST /v1/feedback`: a user's rating of one of the key's tenant's answer runs.

export function registerFeedbackRoutes(app: FastifyInstance, { client, guard }: RouteContext): void {
  app.post('/v1/feedback', { onRequest: guard('caller') }, async (request) => {
    const { tenant } = principalOf(request);
    const body = parseBody(feedbackBodySchema, request.body);
    // Another tenant's run reads as a missing one, before any lookup.
    if (!isOwnWorkflowId(body.workflowId, 'answer', tenant)) {
      throw new NotFoundError(`workflowId: no run has the workflow id ${body.workflowId}`);
    }
    return client.recordFeedback({ ...body, tenant });
  });
}
