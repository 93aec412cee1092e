import type { FastifyInstance } from 'fastify';
import { budgetBodySchema } from '../../contracts/gateway';
import { parseBody } from '../http/request-input';
import { principalOf } from '../http/request-log';
import type { RouteContext } from './route-context';

// `GET /v1/budget`: the key's tenant's limits and usage, for a calling service to show what is
// left. `PUT /v1/budget` sets the limits; it needs an operator key, as spending is not the caller's to raise.

export function registerBudgetRoutes(app: FastifyInstance, { client, guard }: RouteContext): void {
  app.get('/v1/budget', { onRequest: guard('caller') }, async (request) => {
    return client.showBudget(principalOf(request).tenant);
  });

  app.put('/v1/budget', { onRequest: guard('operator') }, async (request) => {
    const { tenant } = principalOf(request);
    const body = parseBody(budgetBodySchema, request.body);
    return client.setBudget(tenant, body.limits, body.mode);
  });
}
