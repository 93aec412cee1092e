import type { z } from 'zod';

/** One line naming each invalid field, e.g. `question: must not be empty`. */
export function formatZodError(error: z.ZodError, prefix?: string): string {
  const parts = error.issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  return parts.join('; ');
}
