import { ApplicationFailure } from '@temporalio/common';
import { errorTypes, type ErrorType } from '../contracts/error-types';

/** A non-retryable failure whose type a retry policy and the workflow can match. */
export function nonRetryable(type: ErrorType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Bad input to an activity: fails at once, never retried. */
export const invalidInput = (message: string): ApplicationFailure => nonRetryable(errorTypes.invalidInput, message);
