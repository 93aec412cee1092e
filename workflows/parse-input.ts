import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { errorTypes } from '../contracts/error-types';
import { formatZodError } from '../contracts/format-error';

/**
 * Validates workflow input. A plain thrown error would fail the workflow task and retry it
 * forever; a non-retryable ApplicationFailure fails the execution with a clear message.
 */
export function parseWorkflowInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(formatZodError(parsed.error), errorTypes.invalidInput);
  return parsed.data;
}
