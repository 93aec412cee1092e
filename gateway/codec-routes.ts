// Mounts the codec server (client/codec/codec-server.ts) on the HTTP gateway at /codec/encode and
// /codec/decode, so `temporal workflow show --codec-endpoint <gateway>/codec` and the Temporal UI
// can read encrypted histories. The handler does the checks; this file only adapts Fastify to it.
import type { FastifyInstance } from 'fastify';
import { handleCodecRequest, type CodecServerOptions } from '../client/codec/codec-server';

export interface CodecRoutesOptions extends CodecServerOptions {
  /** Largest request body in bytes (a page of history can hold many payloads). @default 8 MiB */
  bodyLimit?: number;
}

/** Registers `POST` and `OPTIONS` on /codec/encode and /codec/decode, in a scope of their own. */
export async function registerCodecRoutes(app: FastifyInstance, options: CodecRoutesOptions): Promise<void> {
  const bodyLimit = options.bodyLimit ?? 8 * 1024 * 1024;
  await app.register(async (scope) => {
    // The handler parses the body itself, so a malformed one gets its 400 after the token check,
    // and any content type the UI or CLI sends is read; the scope keeps this from other routes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
    for (const url of ['/codec/encode', '/codec/decode']) {
      scope.route({
        method: ['POST', 'OPTIONS'],
        url,
        bodyLimit,
        handler: async (request, reply) => {
          const response = await handleCodecRequest(
            { method: request.method, path: request.url, headers: request.headers, body: request.body },
            options,
          );
          return reply.code(response.status).headers(response.headers).send(response.body);
        },
      });
    }
  });
}
