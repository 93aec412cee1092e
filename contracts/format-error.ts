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

const article = (noun: string): string => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);
const sizeUnit: Readonly<Record<string, string>> = { string: ' characters', array: ' items', set: ' items' };

/**
 * The message of an issue, in the words the schemas' own messages use: zod's defaults ("Too small: expected
 * number to be >=1", "Invalid input: expected array, received string") become "must be at least 1" and "must be
 * an array, not a string". A message a schema wrote itself is kept.
 */
function plainMessage(issue: z.core.$ZodIssue): string {
  const zodDefault = /^(Too small|Too big|Invalid input|Invalid option): /.test(issue.message);
  if (!zodDefault) return issue.message;
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
    const unit = sizeUnit[issue.origin] ?? '';
    if (issue.code === 'too_small' && Number(limit) === 1 && unit) {
      return issue.origin === 'string' ? 'must not be empty' : 'must have at least 1 item';
    }
    const bound = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'greater than')
      : (issue.inclusive ? 'at most' : 'less than');
    return `must be ${bound} ${String(limit)}${unit}`;
  }
  if (issue.code === 'invalid_type') {
    // Issues do not carry the input unless asked to; zod's message names what it received.
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    if (received === undefined || received === 'undefined') return `required (${article(issue.expected)})`;
    return `must be ${article(issue.expected)}, not ${received === 'null' ? 'null' : article(received)}`;
  }
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return issue.message;
}

/** One line naming each invalid field, e.g. `question: must not be empty` or `qestion: not a known field`. */
export function formatZodError(error: z.ZodError, prefix?: string): string {
  const parts = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issueFields(issue, prefix).map((field) => `${field}: not a known field`);
    }
    const [field] = issueFields(issue, prefix);
    const message = plainMessage(issue);
    return field ? `${field}: ${message}` : message;
  });
  return parts.join('; ');
}
