import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayRole } from '../../contracts/gateway-keys';
import { authorize } from '../auth/authorize';
import type { ApiKeyStore } from '../auth/key-store';
import type { TenantLimiter } from '../limits/tenant-limiter';
import { setPrincipal } from './request-log';

// The onRequest hook of every authenticated route. It runs before the body is read, so a request
// without a valid key, with the wrong role or over its tenant's request rate costs no parsing.

export type Guard = (role: GatewayRole) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** A hook factory: authenticate, check the role, then count the request against the tenant's rate. */
export function createGuard(keys: ApiKeyStore, limiter: TenantLimiter): Guard {
  return (role) => async (request, reply) => {
    const principal = await authorize(keys, request.headers.authorization, role);
    setPrincipal(request, reply, principal);
    limiter.admitRequest(principal.tenant);
  };
}
