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

  it('keeps the state continue-as-new carries bounded under a long busy period', () => {
    // 30 calls a second for 10 minutes, each reserved and settled: the keys alone once reached ~2 MB.
    const ledger = new BudgetLedger('acme', { reservationTtlMs: hour, keyMemoryMs: 2 * hour, maxRememberedKeys: 4_000 });
    const calls = 18_000;
    for (let call = 0; call < calls; call += 1) {
      const now = t0 + Math.floor(call / 30) * 1_000;
      const key = `01a21f37-22fa-7c1c-98bb-${String(call).padStart(12, '0')}:generate`;
      ledger.reserve(request(key, 10), now);
      ledger.settle({ tenant: 'acme', key, usedTokens: 10, usedMicroUsd: 0 }, now);
    }
    const snapshot = ledger.snapshot();
    expect(Object.keys(snapshot.keys)).toHaveLength(4_000);
    expect(Buffer.byteLength(JSON.stringify(snapshot))).toBeLessThan(512 * 1024);
    const end = t0 + 600_000;
    const newest = `01a21f37-22fa-7c1c-98bb-${String(calls - 1).padStart(12, '0')}:generate`;
    expect(ledger.settle({ tenant: 'acme', key: newest, usedTokens: 10, usedMicroUsd: 0 }, end).duplicate).toBe(true);
    expect(ledger.reserve(request(newest, 10), end)).toMatchObject({ duplicate: true, granted: true });
    expect(ledger.view(end).scopes.find((scope) => scope.scope === 'tenant')?.usedTokens).toBe(calls * 10);
  });

  it('never forgets an open reservation to make room, and reads keys remembered whole by older ledgers', () => {
    const old = ledgerWith(1_000).snapshot();
    old.keys.legacy = {
      at: t0, feature: 'qa',
      reserve: { key: 'legacy', granted: false, reason: 'over', remaining: [], duplicate: false },
      settle: { key: 'legacy', released: false, duplicate: false, remaining: [] },
    };
    const ledger = new BudgetLedger('acme', { reservationTtlMs: hour, keyMemoryMs: 2 * hour, maxRememberedKeys: 10 }, old);
    expect(ledger.reserve(request('legacy', 1), t0)).toMatchObject({ granted: false, reason: 'over', duplicate: true });
    expect(ledger.settle({ tenant: 'acme', key: 'legacy', usedTokens: 1, usedMicroUsd: 0 }, t0).duplicate).toBe(true);
    expect(ledger.reserve(request('held', 5), t0).granted).toBe(true);
    for (let call = 0; call < 50; call += 1) {
      ledger.reserve(request(`k${call}`, 1), t0);
      ledger.settle({ tenant: 'acme', key: `k${call}`, usedTokens: 1, usedMicroUsd: 0 }, t0);
    }
    expect(Object.keys(ledger.snapshot().keys)).toHaveLength(10);
    expect(Object.keys(ledger.snapshot().reservations)).toEqual(['held']);
    expect(ledger.reserve(request('held', 5), t0).duplicate).toBe(true);
  });
});
