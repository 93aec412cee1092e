import { BudgetLedger, periodStart } from '../../../workflows/budget-ledger';

// The ledger's arithmetic with a fake clock (the workflow passes workflow time).
describe('budget ledger arithmetic', () => {
  const hour = 3_600_000;
  const t0 = Date.UTC(2026, 0, 31, 23, 30);
  const ledgerWith = (maxTokens: number) => {
    const ledger = new BudgetLedger('acme', { reservationTtlMs: hour, keyMemoryMs: 2 * hour });
    const limits = { tenant: { period: 'day' as const, maxTokens }, features: {} };
    ledger.setLimits({ tenant: 'acme', mode: 'merge', limits }, t0);
    return ledger;
  };
  const request = (key: string, estimateTokens: number) =>
    ({ tenant: 'acme', feature: 'qa', key, estimateTokens, estimateMicroUsd: 0 });

  it('finds the start of the UTC hour, day and month', () => {
    expect(periodStart('hour', t0)).toBe(Date.UTC(2026, 0, 31, 23));
    expect(periodStart('day', t0)).toBe(Date.UTC(2026, 0, 31));
    expect(periodStart('month', t0)).toBe(Date.UTC(2026, 0, 1));
  });

  it('rolls a day over at midnight UTC', () => {
    const ledger = ledgerWith(100);
    ledger.settle({ tenant: 'acme', key: 'k', usedTokens: 100, usedMicroUsd: 0 }, t0);
    expect(ledger.reserve(request('a', 1), t0).granted).toBe(false);
    expect(ledger.reserve(request('b', 100), t0 + hour).granted).toBe(true);
  });

  it('expires an unsettled reservation after its bound and forgets keys two generations old', () => {
    const ledger = ledgerWith(100);
    expect(ledger.reserve(request('held', 100), t0).granted).toBe(true);
    expect(ledger.reserve(request('x', 1), t0 + hour - 1).granted).toBe(false);
    expect(ledger.reserve(request('y', 1), t0 + hour).granted).toBe(true);
    ledger.settle({ tenant: 'acme', key: 'y', usedTokens: 1, usedMicroUsd: 0 }, t0 + hour);
    expect(ledger.settle({ tenant: 'acme', key: 'y', usedTokens: 1, usedMicroUsd: 0 }, t0 + hour).duplicate).toBe(true);
    const later = t0 + 6 * hour;
    ledger.view(later);
    ledger.reserve(request('z', 1), later);
    expect(Object.keys(ledger.snapshot().keys)).toEqual([]);
    expect(Object.keys(ledger.snapshot().reservations)).toEqual(['z']);
  });
});
