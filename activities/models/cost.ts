import type { ModelEntry } from '../../contracts/model-catalog';
import type { TokenUsage } from '../../contracts/models';

/**
 * Cost of a call in whole micro-dollars (USD × 10⁶), rounded up so many small calls never
 * sum to less than they cost. Prices are per million tokens, so the arithmetic is exact.
 */
export function costMicroUsd(model: Pick<ModelEntry, 'inputPricePerMillionUsd' | 'outputPricePerMillionUsd'>, usage: TokenUsage): number {
  // toFixed drops float noise (3 × 0.1 = 0.30000000000000004) before rounding up.
  return Math.ceil(Number((usage.inputTokens * model.inputPricePerMillionUsd + usage.outputTokens * model.outputPricePerMillionUsd).toFixed(6)));
}
