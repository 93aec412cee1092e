import type { FastifyInstance } from 'fastify';
import { ingestBodySchema, workflowIdParamsSchema, type IngestRunResponse } from '../../contracts/gateway';
import { parseBody, parseInput, requireOwnWorkflowId } from '../http/request-input';
import { principalOf } from '../http/request-log';
import type { RouteContext } from './route-context';

// `POST /v1/ingest` ingests documents sent inline into the key's tenant's store (the gateway never
// reads server paths); `GET /v1/ingest/{id}` reports progress, then the result.

export function registerIngestRoutes(app: FastifyInstance, { client, guard }: RouteContext): void {
  app.post('/v1/ingest', { onRequest: guard('caller') }, async (request, reply) => {
    const { tenant } = principalOf(request);
    const body = parseBody(ingestBodySchema, request.body);
    const run = await client.startIngest({ tenant, documents: body.documents, ingestId: body.ingestId });
    return reply.code(202).send({ workflowId: run.workflowId });
  });

  app.get('/v1/ingest/:workflowId', { onRequest: guard('caller') }, async (request, reply) => {
    const { tenant } = principalOf(request);
    const { workflowId } = parseInput(workflowIdParamsSchema, request.params);
    requireOwnWorkflowId(workflowId, 'ingest', tenant);
    const run = await client.ingestStatus(workflowId, tenant);
    const response: IngestRunResponse = run.state === 'completed'
      ? { workflowId, status: 'completed', result: run.result }
      : { workflowId, status: 'running', progress: run.progress };
    return reply.code(run.state === 'completed' ? 200 : 202).send(response);
  });
}
