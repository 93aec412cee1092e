// Stable failure type names: an activity error's type is what retry policies match,
// so these strings are part of the retry contract and never change meaning.
export const errorTypes = {
  /** Input failed validation; retrying cannot help. */
  invalidInput: 'InvalidInput',
  /** A source file or folder does not exist or cannot be read. */
  sourceNotFound: 'SourceNotFound',
  /** A source file is not valid UTF-8 text. */
  unreadableSource: 'UnreadableSource',
  /** A gate or policy refused the request. */
  policyViolation: 'PolicyViolation',
  /** Credentials were rejected by a provider. */
  authFailure: 'AuthFailure',
} as const;
export type ErrorType = (typeof errorTypes)[keyof typeof errorTypes];

/** Types a retry policy must never retry. */
export const nonRetryableErrorTypes: ErrorType[] = [
  errorTypes.invalidInput,
  errorTypes.sourceNotFound,
  errorTypes.unreadableSource,
  errorTypes.policyViolation,
  errorTypes.authFailure,
];
