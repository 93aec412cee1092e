import type { BreakerSettings } from '../../contracts/model-catalog';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** A breaker changing state, for operators: logs and metrics subscribe to these. */
export interface CircuitTransition {
  provider: string;
  from: CircuitState;
  to: CircuitState;
}
export type TransitionListener = (transition: CircuitTransition) => void;

/** Outcome of asking the breaker for permission to call; an admitted call gets a permit to settle. */
export type Admission =
  | { allowed: true; probe: boolean; permit: BreakerPermit }
  | { allowed: false; retryInMs: number };

/**
 * What an admitted call reports, once. The first report wins and later ones are ignored, so
 * the caller can settle in `finally` with `release()` and any path (success, failure,
 * cancellation, a throw before the request) frees a half-open probe slot exactly once.
 */
export interface BreakerPermit {
  /** The provider answered (or rejected the request itself, which says it is alive). */
  success(): void;
  /** The provider failed: 5xx, reset, timeout, malformed body. */
  failure(): void;
  /** An outcome that says nothing about health (429, cancellation): only frees the slot. */
  release(): void;
}

// Why not cockatiel (considered, not installed): its SamplingBreaker reads Date.now() itself
// (no injectable clock), opens on `failures > threshold` with a minimum *rate* rather than a
// minimum number of requests, rejects failureRate 0 and 1 that the catalog allows, and its
// half-open state makes extra callers *wait* for the probe instead of refusing them at once;
// it also has no neutral outcome (a 429 or a cancelled call would count as a success or a
// failure). The catalog's contract (windowMs, minimumCalls, failureRate, openMs,
// halfOpenProbes) is kept here instead, with the two defects fixed: permits, and per-request keys.

/**
 * Per-provider circuit breaker, kept in the worker process. Closed: calls pass and outcomes
 * are recorded per *request* in a sliding time window; once the window holds `minimumCalls`
 * requests and the failure rate reaches `failureRate`, it opens. Open: calls are refused at
 * once (the activity throws a non-retryable CircuitOpen, so the workflow falls back without
 * waiting out retries). After `openMs` it is half-open: up to `halfOpenProbes` calls go
 * through; a success closes it, a failure opens it again, a neutral outcome frees the slot.
 */
export class CircuitBreaker {
  // Latest outcome per request key, oldest first (a re-recorded key moves to the end).
  private readonly outcomes = new Map<string, { at: number; failed: boolean }>();
  private stateValue: CircuitState = 'closed';
  private openedAt = 0;
  // Half-open probes in flight: permit id → when it was admitted.
  private readonly probes = new Map<number, number>();
  // Bumped on every state change: a permit from an earlier state cannot act on a later one
  // (a slow call admitted while closed must not re-open, or extend, a circuit opened since).
  private generation = 0;
  private nextPermitId = 0;

  constructor(
    readonly name: string,
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
    private readonly onTransition: TransitionListener = () => undefined,
  ) {}

  get state(): CircuitState {
    if (this.stateValue === 'open' && this.now() - this.openedAt >= this.settings.openMs) this.transition('half-open');
    return this.stateValue;
  }

  /**
   * Call before each request; a refused call must not be made. `requestKey` names the logical
   * request (all Temporal attempts of one activity share it), so its retries count once;
   * without one, each call is its own request.
   */
  admit(requestKey?: string): Admission {
    const state = this.state;
    if (state === 'open') return { allowed: false, retryInMs: this.settings.openMs - (this.now() - this.openedAt) };
    const key = requestKey ?? `anonymous-${this.nextPermitId}`;
    if (state === 'half-open') {
      this.expireLostProbes();
      if (this.probes.size >= this.settings.halfOpenProbes) return { allowed: false, retryInMs: 0 };
      const id = this.nextPermitId++;
      this.probes.set(id, this.now());
      return { allowed: true, probe: true, permit: this.permit(id, key, true) };
    }
    return { allowed: true, probe: false, permit: this.permit(this.nextPermitId++, key, false) };
  }

  /** Closes the circuit and forgets history (tests, operator action). */
  reset(): void {
    this.transition('closed');
  }

  private permit(id: number, key: string, probe: boolean): BreakerPermit {
    const generation = this.generation;
    let settled = false;
    const settle = (outcome: 'success' | 'failure' | 'neutral'): void => {
      if (settled) return;
      settled = true;
      if (probe) this.probes.delete(id);
      if (generation !== this.generation) return;
      if (probe) {
        if (outcome === 'success') this.transition('closed');
        else if (outcome === 'failure') this.transition('open');
        return;
      }
      if (outcome !== 'neutral') this.record(key, outcome === 'failure');
    };
    return { success: () => settle('success'), failure: () => settle('failure'), release: () => settle('neutral') };
  }

  private record(key: string, failed: boolean): void {
    const now = this.now();
    this.outcomes.delete(key);
    this.outcomes.set(key, { at: now, failed });
    const windowStart = now - this.settings.windowMs;
    for (const [oldKey, outcome] of this.outcomes) {
      if (outcome.at >= windowStart) break;
      this.outcomes.delete(oldKey);
    }
    if (!failed || this.outcomes.size < this.settings.minimumCalls) return;
    let failures = 0;
    for (const outcome of this.outcomes.values()) if (outcome.failed) failures += 1;
    if (failures / this.outcomes.size >= this.settings.failureRate) this.transition('open');
  }

  // A probe that has not reported within openMs is presumed lost (its process path never
  // settled it): its slot is freed rather than keeping the provider refused for good.
  private expireLostProbes(): void {
    const oldest = this.now() - this.settings.openMs;
    for (const [id, admittedAt] of this.probes) if (admittedAt <= oldest) this.probes.delete(id);
  }

  private transition(state: CircuitState): void {
    const from = this.stateValue;
    this.stateValue = state;
    this.generation += 1;
    this.outcomes.clear();
    this.probes.clear();
    if (state === 'open') this.openedAt = this.now();
    if (from !== state) this.onTransition({ provider: this.name, from, to: state });
  }
}

/** One breaker per provider name, created on first use. */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly listeners = new Set<TransitionListener>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Calls `listener` on every state change of every breaker; returns the unsubscribe. */
  onTransition(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(provider: string, settings: BreakerSettings): CircuitBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreaker(provider, settings, this.now, (transition) => {
        for (const listener of this.listeners) listener(transition);
      });
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  resetAll(): void {
    for (const breaker of this.breakers.values()) breaker.reset();
  }
}
