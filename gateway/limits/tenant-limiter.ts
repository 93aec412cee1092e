import type { GatewayLimits } from '../../contracts/gateway';
import { RateLimitedError } from '../http/errors';
import { TokenBucket } from './token-bucket';

// Per-tenant limits: a bucket of requests (per second) and one of estimated model tokens (per
// minute) for each tenant. Tenants come only from valid keys, but the map is still capped: past
// `maxTenants` the least recently seen tenant's buckets are dropped (it starts again full).

/**
 * Model tokens an answer request is estimated to use before it runs: the question at about four
 * characters a token (English text with the usual tokenizers), plus a fixed allowance for the
 * completion and the retrieved context the prompt carries. Only an estimate: it keeps one tenant
 * from flooding the models; budgets (contracts/budget.ts) count the real usage.
 */
export function estimateAnswerTokens(question: string, completionAllowance: number): number {
  return Math.ceil(question.length / 4) + completionAllowance;
}

interface TenantBuckets {
  requests: TokenBucket;
  tokens: TokenBucket;
}

export class TenantLimiter {
  private readonly tenants = new Map<string, TenantBuckets>();

  constructor(private readonly limits: GatewayLimits, private readonly now: () => number = Date.now) {}

  /** Counts one request of the tenant; a RateLimitedError (`requests`) when its bucket is empty. */
  admitRequest(tenant: string): void {
    const { requests } = this.bucketsOf(tenant);
    if (requests.tryTake(1)) return;
    throw new RateLimitedError(
      'requests',
      `tenant ${tenant} is over its limit of ${this.limits.requestsPerSecond} requests per second`,
      retryAfterSeconds(requests.waitMs(1)),
    );
  }

  /**
   * Counts a request's estimated model tokens; a RateLimitedError (`tokens`) when they are not
   * there. A request estimated above the whole bucket takes a full bucket, or it could never pass.
   */
  admitTokens(tenant: string, estimatedTokens: number): void {
    const { tokens } = this.bucketsOf(tenant);
    const amount = Math.min(estimatedTokens, tokens.capacity);
    if (tokens.tryTake(amount)) return;
    throw new RateLimitedError(
      'tokens',
      `tenant ${tenant} is over its limit of ${this.limits.tokensPerMinute} estimated model tokens per minute`,
      retryAfterSeconds(tokens.waitMs(amount)),
    );
  }

  /** Tenants whose buckets are held (at most `maxTenants`). */
  get size(): number {
    return this.tenants.size;
  }

  private bucketsOf(tenant: string): TenantBuckets {
    const known = this.tenants.get(tenant);
    if (known) {
      // Map order is insertion order: re-inserting marks the tenant most recently seen.
      this.tenants.delete(tenant);
      this.tenants.set(tenant, known);
      return known;
    }
    while (this.tenants.size >= this.limits.maxTenants) {
      const oldest = this.tenants.keys().next().value;
      if (oldest === undefined) break;
      this.tenants.delete(oldest);
    }
    const buckets: TenantBuckets = {
      requests: new TokenBucket({
        capacity: this.limits.requestBurst ?? Math.ceil(this.limits.requestsPerSecond),
        refillPerSecond: this.limits.requestsPerSecond, now: this.now,
      }),
      tokens: new TokenBucket({
        capacity: this.limits.tokensPerMinute, refillPerSecond: this.limits.tokensPerMinute / 60, now: this.now,
      }),
    };
    this.tenants.set(tenant, buckets);
    return buckets;
  }
}

/** Whole seconds to wait, rounded up, at least 1 (a Retry-After of 0 invites a tight loop). */
function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
