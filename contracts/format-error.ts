import type { z } from 'zod';

/**
 * The fields an issue is about, as dotted paths: its own path, or for keys a strict schema does not know, each
 * key under that path (zod puts those at the object's path and names them only in its message).
 */
export function issueFields(issue: z.core.$ZodIssue, prefix?: string): string[] {
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.code !== 'unrecognized_keys') return [path];
  return issue.keys.map((key) => (path ? `${path}.${key}` : key));
}

/** One line naming each invalid field, e.g. `question: must not be empty` or `qestion: not a known field`. */
export function formatZodError(error: z.ZodError, prefix?: string): string {
  const parts = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issueFields(issue, prefix).map((field) => `${field}: not a known field`);
    }
    const [field] = issueFields(issue, prefix);
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  return parts.join('; ');
}
