import type { FastifyInstance } from 'fastify';
import { deleteDocumentsBodySchema } from '../../contracts/gateway';
import { parseBody } from '../http/request-input';
import { principalOf } from '../http/request-log';
import type { RouteContext } from './route-context';

// `POST /v1/documents/delete` removes documents (all their chunks) from the key's tenant's store:
// what a service that ingests over HTTP needs to honour an erasure request. It waits for the
// result; a POST with a body, because document ids (paths, `faq.jsonl#12`) sit badly in a URL.

export function registerDocumentRoutes(app: FastifyInstance, { client, guard }: RouteContext): void {
  app.post('/v1/documents/delete', { onRequest: guard('caller') }, async (request) => {
    const { tenant } = principalOf(request);
    const body = parseBody(deleteDocumentsBodySchema, request.body);
    return client.deleteDocuments({ tenant, documentIds: body.documentIds, requestId: body.requestId });
  });
}
