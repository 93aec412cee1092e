import {
  budgetLedgerInputSchema, budgetLimitsSchema, formatMicroUsd, reserveBudgetRequestSchema, setBudgetRequestSchema,
  settleBudgetRequestSchema,
} from '../../../contracts/budget';
import { formatZodError } from '../../../contracts/format-error';
import { limitsFromOptions } from '../../../client/cli/budget-commands';

const messageOf = (result: { success: boolean; error?: Parameters<typeof formatZodError>[0] }): string =>
  (result.success ? 'ok' : formatZodError(result.error!));

describe('budget contracts', () => {
  it('accepts a tenant limit with per-feature limits, defaulting features to none', () => {
    expect(budgetLimitsSchema.parse({ tenant: { period: 'day', maxTokens: 1_000 } }))
      .toEqual({ tenant: { period: 'day', maxTokens: 1_000 }, features: {} });
    expect(budgetLimitsSchema.parse({ features: { qa: { period: 'month', maxMicroUsd: 5_000_000 } } }))
      .toEqual({ features: { qa: { period: 'month', maxMicroUsd: 5_000_000 } } });
  });

  it.each([
    [{ tenant: { period: 'day', maxTokens: -1 } }, 'tenant.maxTokens: must not be negative'],
    [{ tenant: { period: 'day', maxTokens: 0 } }, 'tenant.maxTokens: must be greater than 0'],
    [{ tenant: { period: 'day', maxTokens: 2.5 } }, 'tenant.maxTokens: must be a whole number'],
    [{ tenant: { period: 'day', maxMicroUsd: 1e16 } }, 'tenant.maxMicroUsd: must be at most 1000000000000000'],
    [{ tenant: { period: 'day', maxMicroUsd: '5' } }, 'tenant.maxMicroUsd: must be a number'],
    [{ tenant: { period: 'day' } }, 'tenant: set maxTokens, maxMicroUsd or both'],
    [{ tenant: { period: 'week', maxTokens: 1 } }, 'tenant.period: must be one of "hour", "day", "month"'],
    [{ features: { 'bad feature': { period: 'day', maxTokens: 1 } } }, 'features.bad feature: Invalid key in record'],
    [{ features: { qa: { period: 'day', maxTokens: 1, maxCents: 3 } } }, 'features.qa.maxCents: not a known field'],
  ])('refuses %j naming the field', (limits, message) => {
    expect(messageOf(budgetLimitsSchema.safeParse(limits))).toContain(message);
  });

  it('refuses negative and absurd estimates and usage, and bad keys', () => {
    const reserve = { tenant: 'acme', feature: 'qa', key: 'k', estimateTokens: 10, estimateMicroUsd: 0 };
    expect(reserveBudgetRequestSchema.parse(reserve)).toEqual(reserve);
    expect(messageOf(reserveBudgetRequestSchema.safeParse({ ...reserve, estimateTokens: -3 })))
      .toBe('estimateTokens: must not be negative');
    expect(messageOf(reserveBudgetRequestSchema.safeParse({ ...reserve, key: 'a~b' })))
      .toMatch(/^key: may contain only/);
    const absurd = { tenant: 'acme', key: 'k', usedTokens: 1, usedMicroUsd: 5e15 };
    expect(messageOf(settleBudgetRequestSchema.safeParse(absurd)))
      .toBe('usedMicroUsd: must be at most 1000000000000000');
    expect(setBudgetRequestSchema.parse({ tenant: 'acme', limits: {} }).mode).toBe('merge');
  });

  it('defaults the ledger bounds', () => {
    expect(budgetLedgerInputSchema.parse({ tenant: 'acme' })).toEqual({
      tenant: 'acme', reservationTtlMs: 3_600_000, keyMemoryMs: 7_200_000, maxHistoryLength: 2_500, maxRememberedKeys: 4_000,
    });
  });

  it('formats micro-dollars as dollars', () => {
    expect(formatMicroUsd(1_500_000)).toBe('$1.50');
    expect(formatMicroUsd(123)).toBe('$0.000123');
  });

  it('reads the CLI flags into one scope, in whole micro-dollars', () => {
    expect(limitsFromOptions({ period: 'day', maxTokens: '1000', maxUsd: '1.50' })).toEqual({
      limits: { tenant: { period: 'day', maxTokens: 1000, maxMicroUsd: 1_500_000 } }, mode: 'merge',
    });
    expect(limitsFromOptions({ period: 'hour', maxUsd: '0.10', feature: 'qa' }).limits)
      .toEqual({ features: { qa: { period: 'hour', maxMicroUsd: 100_000 } } });
    expect(() => limitsFromOptions({ period: 'day', maxUsd: 'lots' })).toThrow('--max-usd: must be an amount');
    expect(() => limitsFromOptions({ maxTokens: '5' })).toThrow('set needs --period');
    // A bad flag is named as typed, not as the ledger's field (`tenant.maxMicroUsd`).
    expect(() => limitsFromOptions({ period: 'day', maxUsd: '-1' })).toThrow('--max-usd: must be an amount in dollars');
    expect(() => limitsFromOptions({ period: 'day', maxTokens: '1e20' }))
      .toThrow('--max-tokens: must be a whole number of tokens such as 200000, not 1e20');
    // An absurd amount reaches the schema, which names the field.
    const absurd = limitsFromOptions({ period: 'day', maxTokens: '2000000000000000' }).limits;
    expect(messageOf(budgetLimitsSchema.safeParse(absurd))).toMatch(/^tenant\.maxTokens: must be at most/);
  });
});
