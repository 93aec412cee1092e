import type { FastifyInstance } from 'fastify';
import { answerStreamBodySchema } from '../../contracts/gateway';
import type { AnswerStreamEvent } from '../../contracts/stream';
import { toErrorReply } from '../http/error-response';
import { parseBody } from '../http/request-input';
import { markSensitive, principalOf, scrub } from '../http/request-log';
import { estimateAnswerTokens } from '../limits/tenant-limiter';
import type { RouteContext } from './route-context';

// `POST /v1/answers/stream`: the answer pipeline for the key's tenant as server-sent events, one
// `event: <type>` per stream event (contracts/stream.ts), the text gated by the stream window as
// the model writes it. A client that goes away stops the reading, never the run: the run finishes,
// settles its budget and can be read later with `GET /v1/answers/{workflowId}`.

/** Comments sent while nothing else is, so proxies do not close a quiet stream. */
export const keepAliveMs = 15_000;

/** One server-sent event; JSON holds no raw newline, so `data` is a single line. */
const serverSentEvent = (type: string, data: unknown): string => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

export function registerAnswerStreamRoutes(
  app: FastifyInstance, { client, limits, limiter, guard }: RouteContext, options: { keepAliveMs?: number } = {},
): void {
  app.post('/v1/answers/stream', { onRequest: guard('caller') }, async (request, reply) => {
    const { tenant } = principalOf(request);
    const fields = parseBody(answerStreamBodySchema, request.body);
    markSensitive(request, fields.question);
    limiter.admitTokens(tenant, estimateAnswerTokens(fields.question, limits.completionTokenAllowance));
    const stop = new AbortController();
    const events = client.askStream({ ...fields, tenant }, { signal: stop.signal })[Symbol.asyncIterator]();
    // The first event starts the run: a conflicting id or an unreachable Temporal still answers with
    // a status and the one JSON error shape, as `POST /v1/answers` does.
    let next: IteratorResult<AnswerStreamEvent> = await events.next();

    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no', 'x-request-id': request.id,
    });
    // The request's own 'close' comes as soon as its body is read; the response's is the connection's.
    response.on('close', () => stop.abort());
    const send = (text: string): void => {
      if (!response.destroyed && !response.writableEnded) response.write(text);
    };
    const keepAlive = setInterval(() => send(':keepalive\n\n'), options.keepAliveMs ?? keepAliveMs);
    try {
      while (!next.done && !stop.signal.aborted) {
        send(serverSentEvent(next.value.type, next.value));
        next = await events.next();
      }
    } catch (error) {
      // Headers are sent: the failure becomes the stream's last event, in the one error shape.
      const failure = toErrorReply(error, request.id);
      if (!failure.expected) {
        const stack = error instanceof Error ? scrub(request, error.stack ?? error.message) : typeof error;
        request.log.error({ failure: { stack } }, 'answer stream failed');
      }
      send(serverSentEvent('error', failure.body));
    } finally {
      clearInterval(keepAlive);
      stop.abort();
      await events.return?.();
      response.end();
    }
  });
}
