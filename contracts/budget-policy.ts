import { z } from 'zod';

/**
 * What a route's paid model call does when the tenant's or feature's budget cannot cover its estimate:
 * `reject` fails the run with BudgetExceeded; `downgrade` answers with the offline extractive model.
 */
export const overBudgetPolicySchema = z.enum(['reject', 'downgrade']);
export type OverBudgetPolicy = z.infer<typeof overBudgetPolicySchema>;
