import type { FastifyInstance } from 'fastify';
import type { GatewayClient } from '../gateway-client';

// Probes for orchestrators, without a key: `healthz` says the process serves HTTP, `readyz` that
// it can also reach Temporal (a load balancer sends it no traffic until then).

export function registerHealthRoutes(app: FastifyInstance, client: GatewayClient): void {
  app.get('/healthz', async () => ({ status: 'ok' as const }));

  app.get('/readyz', async () => {
    // A TemporalUnavailableError from ping becomes 503 in the error handler.
    await client.ping();
    return { status: 'ready' as const };
  });
}
