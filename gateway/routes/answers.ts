import type { FastifyInstance } from 'fastify';
import {
  answerBodySchema, workflowIdParamsSchema, type AnswerRunResponse,
} from '../../contracts/gateway';
import { parseBody, parseInput, requireOwnWorkflowId } from '../http/request-input';
import { markSensitive, principalOf } from '../http/request-log';
import { estimateAnswerTokens } from '../limits/tenant-limiter';
import type { RouteContext } from './route-context';

// `POST /v1/answers` runs the answer pipeline for the key's tenant; `GET /v1/answers/{id}` polls it.

export function registerAnswerRoutes(app: FastifyInstance, { client, limits, limiter, guard }: RouteContext): void {
  app.post('/v1/answers', { onRequest: guard('caller') }, async (request, reply) => {
    const { tenant } = principalOf(request);
    const { wait, ...fields } = parseBody(answerBodySchema, request.body);
    markSensitive(request, fields.question);
    limiter.admitTokens(tenant, estimateAnswerTokens(fields.question, limits.completionTokenAllowance));
    const input = { ...fields, tenant };
    if (!wait) {
      const { workflowId, runId } = await client.startAnswer(input);
      return reply.code(202).send({ workflowId, runId });
    }
    const submitted = await client.submit(input);
    const response: AnswerRunResponse = 'result' in submitted
      ? { workflowId: submitted.workflowId, runId: submitted.runId, status: 'completed', result: submitted.result }
      : { workflowId: submitted.workflowId, runId: submitted.runId, status: 'pending_review' };
    return reply.code(response.status === 'completed' ? 200 : 202).send(response);
  });

  app.get('/v1/answers/:workflowId', { onRequest: guard('caller') }, async (request, reply) => {
    const { tenant } = principalOf(request);
    const { workflowId } = parseInput(workflowIdParamsSchema, request.params);
    requireOwnWorkflowId(workflowId, 'answer', tenant);
    const run = await client.answerStatus(workflowId, tenant);
    const response: AnswerRunResponse = run.state === 'completed'
      ? { workflowId, status: 'completed', result: run.result }
      : { workflowId, status: run.state };
    return reply.code(run.state === 'completed' ? 200 : 202).send(response);
  });
}
