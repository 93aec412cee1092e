import { timingSafeEqual } from 'node:crypto';
import { hashApiKeySecret, parseApiKeyToken } from '../../client/gateway-keys';
import type { GatewayRole } from '../../contracts/gateway-keys';
import { ForbiddenError, GatewayHttpError } from '../http/errors';
import type { ApiKeyStore } from './key-store';

// Who is calling: an `Authorization: Bearer sk_<id>_<secret>` header checked against the stored
// hash. The gateway's routes use it, and so can any other HTTP surface (the codec server asks for
// the `operator` role): `await authorize(store, request.headers.authorization, 'operator')`.

/** The caller a valid key stands for. The tenant is the key's, never the request's. */
export interface Principal {
  keyId: string;
  tenant: string;
  /** The key's name; a reviewer's decisions are recorded under it. */
  name: string;
  roles: readonly GatewayRole[];
  /** Reviewer groups the key is limited to; all of its tenant's when absent. */
  reviewerGroups?: readonly string[];
}

/** No credential, or one that is malformed, unknown or wrong: 401 with a Bearer challenge. */
export class AuthenticationError extends GatewayHttpError {
  override readonly name = 'AuthenticationError';
  constructor(message: string, invalidToken: boolean) {
    super(401, 'unauthenticated', message, undefined, {
      'www-authenticate': invalidToken ? 'Bearer realm="sluice", error="invalid_token"' : 'Bearer realm="sluice"',
    });
  }
}

/** Compared against when the id is unknown, so an unknown id costs the same work as a wrong secret. */
const decoyHash = Buffer.alloc(32);

/** The key a header stands for; an AuthenticationError says only that it is missing or invalid. */
export async function authenticate(store: ApiKeyStore, authorization: string | undefined): Promise<Principal> {
  if (!authorization) throw new AuthenticationError('send an API key: Authorization: Bearer sk_…', false);
  const bearer = /^Bearer +(\S+)$/i.exec(authorization.trim());
  const token = bearer ? parseApiKeyToken(bearer[1]!) : undefined;
  // One message for every bad key: it must not tell an unknown id from a wrong secret.
  const invalid = new AuthenticationError('invalid API key', true);
  if (!token) throw invalid;
  const record = await store.find(token.id);
  const presented = Buffer.from(hashApiKeySecret(token.secret), 'hex');
  const stored = record ? Buffer.from(record.secretSha256, 'hex') : decoyHash;
  if (!timingSafeEqual(presented, stored) || !record) throw invalid;
  return {
    keyId: record.id, tenant: record.tenant, name: record.name, roles: record.roles,
    ...(record.reviewerGroups ? { reviewerGroups: record.reviewerGroups } : {}),
  };
}

/** The key a header stands for, once shown to hold `role`; 401 or 403 (ForbiddenError) otherwise. */
export async function authorize(
  store: ApiKeyStore, authorization: string | undefined, role: GatewayRole,
): Promise<Principal> {
  const principal = await authenticate(store, authorization);
  if (!principal.roles.includes(role)) throw new ForbiddenError(`this API key lacks the ${role} role`);
  return principal;
}

/**
 * `authorize(token)` for surfaces that read the bearer token themselves (the codec server's
 * `authorize` option): true when the bare token is a valid key holding `role`.
 */
export function tokenAuthorizer(store: ApiKeyStore, role: GatewayRole): (token: string) => Promise<boolean> {
  return async (token) => {
    try {
      await authorize(store, `Bearer ${token}`, role);
      return true;
    } catch (error) {
      if (error instanceof GatewayHttpError) return false;
      throw error;
    }
  };
}
