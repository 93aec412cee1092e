import type { BreakerSettings } from '../../contracts/model-catalog';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Outcome of asking the breaker for permission to call. */
export type Admission = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

/**
 * Per-provider circuit breaker, kept in the worker process. Closed: calls pass and outcomes
 * are recorded in a sliding time window; once the window holds `minimumCalls` and the failure
 * rate reaches `failureRate`, it opens. Open: calls are refused at once (the activity throws a
 * non-retryable CircuitOpen, so the workflow falls back without waiting out retries). After
 * `openMs` it is half-open: up to `halfOpenProbes` calls go through; a success closes it, a
 * failure opens it again.
 */
export class CircuitBreaker {
  private outcomes: { at: number; failed: boolean }[] = [];
  private stateValue: CircuitState = 'closed';
  private openedAt = 0;
  private probesInFlight = 0;

  constructor(readonly name: string, private readonly settings: BreakerSettings, private readonly now: () => number = Date.now) {}

  get state(): CircuitState {
    if (this.stateValue === 'open' && this.now() - this.openedAt >= this.settings.openMs) {
      this.stateValue = 'half-open';
      this.probesInFlight = 0;
    }
    return this.stateValue;
  }

  /** Call before each request; a refused call must not be made. */
  admit(): Admission {
    const state = this.state;
    if (state === 'open') return { allowed: false, retryInMs: this.settings.openMs - (this.now() - this.openedAt) };
    if (state === 'half-open') {
      if (this.probesInFlight >= this.settings.halfOpenProbes) return { allowed: false, retryInMs: 0 };
      this.probesInFlight += 1;
      return { allowed: true, probe: true };
    }
    return { allowed: true, probe: false };
  }

  /** The provider answered (or rejected the request itself, which says it is alive). */
  recordSuccess(): void {
    if (this.state === 'half-open') {
      this.stateValue = 'closed';
      this.outcomes = [];
      this.probesInFlight = 0;
      return;
    }
    this.record(false);
  }

  /** The provider failed: 5xx, reset, timeout, malformed body. */
  recordFailure(): void {
    if (this.state === 'half-open') {
      this.open();
      return;
    }
    this.record(true);
    const failures = this.outcomes.filter((outcome) => outcome.failed).length;
    if (this.outcomes.length >= this.settings.minimumCalls && failures / this.outcomes.length >= this.settings.failureRate) this.open();
  }

  /** An outcome that says nothing about health (429: alive but busy); frees a probe slot. */
  recordNeutral(): void {
    if (this.state === 'half-open') this.probesInFlight = Math.max(0, this.probesInFlight - 1);
  }

  /** Closes the circuit and forgets history (tests, operator action). */
  reset(): void {
    this.stateValue = 'closed';
    this.outcomes = [];
    this.probesInFlight = 0;
  }

  private record(failed: boolean): void {
    const now = this.now();
    this.outcomes.push({ at: now, failed });
    const windowStart = now - this.settings.windowMs;
    while (this.outcomes.length > 0 && this.outcomes[0]!.at < windowStart) this.outcomes.shift();
  }

  private open(): void {
    this.stateValue = 'open';
    this.openedAt = this.now();
    this.outcomes = [];
    this.probesInFlight = 0;
  }
}

/** One breaker per provider name, created on first use. */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  constructor(private readonly now: () => number = Date.now) {}

  get(provider: string, settings: BreakerSettings): CircuitBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreaker(provider, settings, this.now);
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  resetAll(): void {
    for (const breaker of this.breakers.values()) breaker.reset();
  }
}
