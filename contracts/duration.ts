import { z } from 'zod';

const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration in config files, written as a number and a unit (`90s`, `30m`, `48h`, `7d`) and
 * read as milliseconds. Between 1 second and 365 days: a review deadline outside that is a typo.
 */
export const durationSchema = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'must be a number and a unit: ms, s, m, h or d (e.g. "48h")')
  .transform((text) => {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text)!;
    return Math.round(Number(amount) * units[unit!]!);
  })
  .pipe(z.number().min(1_000, 'must be at least 1s').max(365 * units.d!, 'must be at most 365d'));
