import { gatewayLimitsSchema } from '../../../contracts/gateway';
import { RateLimitedError } from '../../../gateway/http/errors';
import { estimateAnswerTokens, TenantLimiter } from '../../../gateway/limits/tenant-limiter';
import { TokenBucket } from '../../../gateway/limits/token-bucket';
import { errorOf, startFixture, type GatewayFixture } from './gateway-fixture';

// Per-tenant request and token buckets, on a stepped clock: no test sleeps.

describe('TokenBucket', () => {
  it('lets a full bucket through at once, then refills at its rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2, now: () => now });
    expect([1, 2, 3, 4].map(() => bucket.tryTake(1))).toEqual([true, true, true, false]);
    expect(bucket.waitMs(1)).toBe(500);
    now += 499;
    expect(bucket.tryTake(1)).toBe(false);
    now += 1;
    expect(bucket.tryTake(1)).toBe(true);
    now += 60_000;
    expect(bucket.available()).toBe(3);
  });
});

describe('TenantLimiter', () => {
  it('keeps at most maxTenants tenants, dropping the least recently seen', () => {
    const limiter = new TenantLimiter(gatewayLimitsSchema.parse({ maxTenants: 2, requestsPerSecond: 1 }), () => 0);
    limiter.admitRequest('a');
    limiter.admitRequest('b');
    expect(() => limiter.admitRequest('a')).toThrow(RateLimitedError);
    limiter.admitRequest('c');
    expect(limiter.size).toBe(2);
    // `a` was seen more recently than `b`, so `b` was dropped and starts again with a full bucket.
    expect(() => limiter.admitRequest('a')).toThrow(RateLimitedError);
    expect(() => limiter.admitRequest('b')).not.toThrow();
  });

  it('estimates a question\'s tokens as characters / 4 plus the completion allowance', () => {
    expect(estimateAnswerTokens('x'.repeat(400), 512)).toBe(612);
    expect(estimateAnswerTokens('xyz', 0)).toBe(1);
  });
});

describe('gateway rate limits', () => {
  let fixture: GatewayFixture;
  afterEach(() => fixture.app.close());

  const ask = (key: 'caller' | 'otherTenant' = 'caller', question = 'What is Sluice?') => fixture.app.inject({
    method: 'POST', url: '/v1/answers', payload: { question }, headers: { authorization: fixture.auth[key] },
  });

  it('lets exactly the bucket size of a flood through and answers the rest 429 with Retry-After', async () => {
    fixture = await startFixture({ requestsPerSecond: 2, requestBurst: 5 });
    const flood = await Promise.all(Array.from({ length: 12 }, () => ask()));
    const statuses = flood.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
    expect(fixture.client.calls).toHaveLength(5);
    const limited = await ask();
    expect(limited.headers['retry-after']).toBe('1');
    expect(errorOf(limited)).toEqual({
      code: 'rate_limited_requests', message: 'tenant acme is over its limit of 2 requests per second',
    });
    // Another tenant has its own bucket.
    expect((await ask('otherTenant')).statusCode).toBe(200);
    // Half a second refills one request at 2 per second.
    fixture.advance(500);
    expect((await ask()).statusCode).toBe(200);
    expect((await ask()).statusCode).toBe(429);
  });

  it('answers 429 naming the token limit once the estimated tokens per minute are spent', async () => {
    fixture = await startFixture({ tokensPerMinute: 3_000, completionTokenAllowance: 500 });
    const question = 'q'.repeat(2_000); // 500 + 500 = 1000 tokens each
    expect((await ask('caller', question)).statusCode).toBe(200);
    expect((await ask('caller', question)).statusCode).toBe(200);
    expect((await ask('caller', question)).statusCode).toBe(200);
    const limited = await ask('caller', question);
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('rate_limited_tokens');
    expect(errorOf(limited).message).toContain('3000 estimated model tokens per minute');
    // 1000 tokens at 3000 a minute take 20 seconds to come back.
    expect(limited.headers['retry-after']).toBe('20');
    expect(fixture.client.calls).toHaveLength(3);
    fixture.advance(18_600);
    // 1.4 seconds still to wait: Retry-After rounds up, or the retry would come too early.
    expect((await ask('caller', question)).headers['retry-after']).toBe('2');
    fixture.advance(1_400);
    expect((await ask('caller', question)).statusCode).toBe(200);
  });
});
