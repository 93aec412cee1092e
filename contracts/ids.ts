import { z } from 'zod';

// Tenant and request ids become parts of workflow ids and store filters, so they are
// restricted to a safe alphabet: no quotes, spaces or separators that could be abused.
export const identifierSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'may contain only letters, digits, "_", ".", ":" and "-", starting with a letter or digit');
