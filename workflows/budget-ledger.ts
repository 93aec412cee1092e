import {
  budgetPeriods, formatMicroUsd,
  type BudgetLedgerState, type BudgetLimit, type BudgetLimits, type BudgetPeriod, type BudgetRemaining,
  type BudgetView, type RememberedKey, type ReserveBudgetRequest, type ReserveBudgetResult, type SetBudgetRequest,
  type SettleBudgetRequest, type SettleBudgetResult,
} from '../contracts/budget';

// The arithmetic of one tenant's budget, apart from Temporal so it reads (and is unit-tested) on
// its own. Every method takes the time as an argument: the workflow passes workflow time, which
// is recorded in history, so a replay makes the same decisions.

/** Bounds a ledger keeps to. */
export interface LedgerBounds {
  /** How long a reservation never settled holds budget (ms). */
  reservationTtlMs: number;
  /** Length of a key generation (ms): decided keys are remembered for the current and previous one. */
  keyMemoryMs: number;
  /** Most decided keys remembered; the oldest go first. @default 4000 */
  maxRememberedKeys?: number;
}

/** A remembered key as the compact decision it is stored as (ledgers before compaction kept whole replies). */
function compacted(remembered: RememberedKey): RememberedKey {
  const { reserve, settle, ...rest } = remembered;
  return {
    ...rest,
    ...(reserve ? { granted: reserve.granted, ...(reserve.reason !== undefined ? { reason: reserve.reason } : {}) } : {}),
    ...(settle ? { released: settle.released } : {}),
  };
}

const tenantScope = 'tenant';
const featureScope = (feature: string): string => `feature:${feature}`;

/** Start (epoch ms) of the UTC hour, day or month that holds `now`. */
export function periodStart(period: BudgetPeriod, now: number): number {
  const date = new Date(now);
  if (period === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const length = period === 'hour' ? 3_600_000 : 86_400_000;
  return Math.floor(now / length) * length;
}

/** The empty state of a ledger with no limits: every reservation granted, usage still tracked. */
export const emptyLedgerState = (): BudgetLedgerState => ({
  limits: { features: {} }, usage: {}, reservations: {}, keys: {},
});

interface Totals {
  tokens: number;
  microUsd: number;
}

/** One tenant's limits, usage, open reservations and remembered keys. */
export class BudgetLedger {
  private readonly state: BudgetLedgerState;
  private prunedGeneration = -1;
  private rememberedCount: number;
  /** Keys in the order first decided, oldest at `oldestIndex`; may hold keys already forgotten. */
  private rememberedOrder: string[];
  private oldestIndex = 0;

  constructor(readonly tenant: string, private readonly bounds: LedgerBounds, state?: BudgetLedgerState) {
    this.state = state ?? emptyLedgerState();
    for (const [key, remembered] of Object.entries(this.state.keys)) this.state.keys[key] = compacted(remembered);
    this.rememberedOrder = Object.keys(this.state.keys);
    this.rememberedCount = this.rememberedOrder.length;
    this.forgetOverCap();
  }

  /** What continue-as-new carries. */
  snapshot(): BudgetLedgerState {
    return this.state;
  }

  setLimits(request: SetBudgetRequest, now: number): BudgetView {
    this.tick(now);
    const { limits } = request;
    const tenant = request.mode === 'replace' ? limits.tenant : limits.tenant ?? this.state.limits.tenant;
    const features = request.mode === 'replace'
      ? limits.features
      : { ...this.state.limits.features, ...limits.features };
    this.state.limits = { ...(tenant ? { tenant } : {}), features };
    return this.view(now);
  }

  /**
   * Grants the estimate only when every limited scope of the call (the tenant, the feature) has
   * room for it after usage and open reservations, so concurrent grants never add up past a limit.
   * A key seen before gets the first decision again and changes nothing.
   */
  reserve(request: ReserveBudgetRequest, now: number): ReserveBudgetResult {
    this.tick(now);
    const { key, feature } = request;
    const pending = this.state.reservations[key]?.result;
    if (pending) return { ...pending, duplicate: true };
    const remembered = this.state.keys[key];
    if (remembered?.granted !== undefined) {
      return {
        key, granted: remembered.granted, ...(remembered.reason !== undefined ? { reason: remembered.reason } : {}),
        remaining: this.remaining(remembered.feature ?? feature, now), duplicate: true,
      };
    }
    if (remembered?.released !== undefined) {
      return { key, granted: true, reason: 'already settled', remaining: this.remaining(feature, now), duplicate: true };
    }
    const refusal = this.refusal(feature, { tokens: request.estimateTokens, microUsd: request.estimateMicroUsd }, now);
    if (refusal) {
      const result: ReserveBudgetResult = {
        key, granted: false, reason: refusal, remaining: this.remaining(feature, now), duplicate: false,
      };
      this.remember(key, { at: now, feature, granted: false, reason: refusal });
      return result;
    }
    const open: BudgetLedgerState['reservations'][string] = {
      feature, estimateTokens: request.estimateTokens, estimateMicroUsd: request.estimateMicroUsd, at: now,
      result: { key, granted: true, remaining: [], duplicate: false },
    };
    this.state.reservations[key] = open;
    // What is left is reported with this reservation counted.
    const result: ReserveBudgetResult = { ...open.result, remaining: this.remaining(feature, now) };
    open.result = result;
    return result;
  }

  /**
   * Releases the key's reservation and counts the real usage, once: a key settled before counts
   * nothing. An unknown or expired reservation still counts the usage, since the call did happen.
   */
  settle(request: SettleBudgetRequest, now: number): SettleBudgetResult {
    this.tick(now);
    const { key } = request;
    const remembered = this.state.keys[key];
    if (remembered?.released !== undefined) {
      const feature = remembered.feature ?? request.feature;
      return { key, released: remembered.released, duplicate: true, remaining: this.remaining(feature, now) };
    }
    const reservation = this.state.reservations[key];
    const feature = reservation?.feature ?? remembered?.feature ?? request.feature;
    delete this.state.reservations[key];
    this.addUsage(tenantScope, request, now);
    if (feature !== undefined) this.addUsage(featureScope(feature), request, now);
    const result: SettleBudgetResult = {
      key, released: reservation !== undefined, duplicate: false, remaining: this.remaining(feature, now),
    };
    const granted = reservation ? true : remembered?.granted;
    this.remember(key, {
      at: now, ...(feature !== undefined ? { feature } : {}), ...(granted !== undefined ? { granted } : {}),
      ...(remembered?.reason !== undefined ? { reason: remembered.reason } : {}), released: result.released,
    });
    return result;
  }

  /** Limits, usage in each scope's current period, and open reservations, as of `now`. */
  view(now: number): BudgetView {
    const { limits } = this.state;
    const scopes = new Set([tenantScope, ...Object.keys(this.state.usage)]);
    for (const feature of Object.keys(limits.features)) scopes.add(featureScope(feature));
    return {
      tenant: this.tenant, limits,
      scopes: [...scopes].sort().map((scope) => {
        const limit = this.limitOf(scope);
        const period = limit?.period ?? 'day';
        const used = this.used(scope, period, now);
        const reserved = this.reserved(scope, now);
        return {
          scope, ...(limit ? { limit } : {}), period, periodStart: new Date(periodStart(period, now)).toISOString(),
          usedTokens: used.tokens, usedMicroUsd: used.microUsd,
          reservedTokens: reserved.tokens, reservedMicroUsd: reserved.microUsd,
        };
      }),
      openReservations: Object.values(this.state.reservations).filter((open) => !this.isExpired(open.at, now)).length,
      asOf: new Date(now).toISOString(),
    };
  }

  /** Expires reservations past their bound and forgets keys older than the previous generation. */
  private tick(now: number): void {
    for (const [key, open] of Object.entries(this.state.reservations)) {
      if (!this.isExpired(open.at, now)) continue;
      // The call's worker died for good (or never settled): free its budget, remember its decision.
      delete this.state.reservations[key];
      this.remember(key, { at: now, feature: open.feature, granted: open.result.granted, expired: true });
    }
    const generation = Math.floor(now / this.bounds.keyMemoryMs);
    if (generation === this.prunedGeneration) return;
    this.prunedGeneration = generation;
    const oldest = (generation - 1) * this.bounds.keyMemoryMs;
    for (const [key, remembered] of Object.entries(this.state.keys)) {
      if (remembered.at < oldest) this.forget(key);
    }
  }

  /** Records a key's decision; past the cap the oldest decided keys are forgotten. */
  private remember(key: string, remembered: RememberedKey): void {
    if (!(key in this.state.keys)) {
      this.rememberedCount += 1;
      this.rememberedOrder.push(key);
    }
    this.state.keys[key] = remembered;
    this.forgetOverCap();
  }

  private forget(key: string): void {
    if (!(key in this.state.keys)) return;
    delete this.state.keys[key];
    this.rememberedCount -= 1;
  }

  private forgetOverCap(): void {
    const cap = this.bounds.maxRememberedKeys ?? 4_000;
    while (this.rememberedCount > cap && this.oldestIndex < this.rememberedOrder.length) {
      this.forget(this.rememberedOrder[this.oldestIndex]!);
      this.oldestIndex += 1;
    }
    // Drop the consumed front now and then, so the order list stays about as long as the keys.
    if (this.oldestIndex > cap) {
      this.rememberedOrder = this.rememberedOrder.slice(this.oldestIndex).filter((key) => key in this.state.keys);
      this.oldestIndex = 0;
    }
  }

  private isExpired(at: number, now: number): boolean {
    return now - at >= this.bounds.reservationTtlMs;
  }

  /** Why an estimate does not fit, naming the scope and what is left of it; undefined when it fits. */
  private refusal(feature: string, estimate: Totals, now: number): string | undefined {
    for (const scope of [tenantScope, featureScope(feature)]) {
      const limit = this.limitOf(scope);
      if (!limit) continue;
      const left = this.left(scope, limit, now);
      const name = scope === tenantScope ? `tenant ${this.tenant}` : `feature ${feature} of tenant ${this.tenant}`;
      if (limit.maxTokens !== undefined && estimate.tokens > left.tokens!) {
        return `budget of ${name} exceeded: ${estimate.tokens} tokens estimated, ` +
          `${Math.max(0, left.tokens!)} of ${limit.maxTokens} left this ${limit.period}`;
      }
      if (limit.maxMicroUsd !== undefined && estimate.microUsd > left.microUsd!) {
        const leftUsd = formatMicroUsd(Math.max(0, left.microUsd!));
        return `budget of ${name} exceeded: ${formatMicroUsd(estimate.microUsd)} estimated, ` +
          `${leftUsd} of ${formatMicroUsd(limit.maxMicroUsd)} left this ${limit.period}`;
      }
    }
    return undefined;
  }

  /** What is left of each limited scope of a call (the tenant, and the feature when known). */
  private remaining(feature: string | undefined, now: number): BudgetRemaining[] {
    const scopes = [tenantScope, ...(feature !== undefined ? [featureScope(feature)] : [])];
    return scopes.flatMap((scope) => {
      const limit = this.limitOf(scope);
      return limit ? [{ scope, period: limit.period, ...this.left(scope, limit, now) }] : [];
    });
  }

  private left(scope: string, limit: BudgetLimit, now: number): { tokens?: number; microUsd?: number } {
    const used = this.used(scope, limit.period, now);
    const reserved = this.reserved(scope, now);
    return {
      ...(limit.maxTokens !== undefined ? { tokens: limit.maxTokens - used.tokens - reserved.tokens } : {}),
      ...(limit.maxMicroUsd !== undefined ? { microUsd: limit.maxMicroUsd - used.microUsd - reserved.microUsd } : {}),
    };
  }

  private limitOf(scope: string): BudgetLimit | undefined {
    const limits: BudgetLimits = this.state.limits;
    return scope === tenantScope ? limits.tenant : limits.features[scope.slice('feature:'.length)];
  }

  private used(scope: string, period: BudgetPeriod, now: number): Totals {
    const window = this.state.usage[scope]?.[period];
    // A window of an earlier period has rolled over: nothing is used yet in this one.
    if (!window || window.start !== periodStart(period, now)) return { tokens: 0, microUsd: 0 };
    return { tokens: window.tokens, microUsd: window.microUsd };
  }

  // Open reservations count against whichever period is current: they have not been spent yet.
  private reserved(scope: string, now: number): Totals {
    const totals: Totals = { tokens: 0, microUsd: 0 };
    for (const open of Object.values(this.state.reservations)) {
      if (this.isExpired(open.at, now)) continue;
      if (scope !== tenantScope && featureScope(open.feature) !== scope) continue;
      totals.tokens += open.estimateTokens;
      totals.microUsd += open.estimateMicroUsd;
    }
    return totals;
  }

  // Every period is tracked, so a limit set or changed later sees the usage already made.
  private addUsage(scope: string, usage: SettleBudgetRequest, now: number): void {
    const windows = (this.state.usage[scope] ??= {});
    for (const period of budgetPeriods) {
      const start = periodStart(period, now);
      const window = windows[period];
      windows[period] = window && window.start === start
        ? { start, tokens: window.tokens + usage.usedTokens, microUsd: window.microUsd + usage.usedMicroUsd }
        : { start, tokens: usage.usedTokens, microUsd: usage.usedMicroUsd };
    }
  }
}
