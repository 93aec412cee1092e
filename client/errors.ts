// Errors the client raises. Each carries a one-line message fit to show a user as is.

/** Base class: the CLI prints `message` and exits non-zero, never a stack trace. */
export class SluiceClientError extends Error {
  override readonly name: string = 'SluiceClientError';
}

/** The request failed validation; the message names the field. */
export class InvalidRequestError extends SluiceClientError {
  override readonly name = 'InvalidRequestError';
}

/** The Temporal server cannot be reached. */
export class TemporalUnavailableError extends SluiceClientError {
  override readonly name = 'TemporalUnavailableError';
}

/** The workflow ran and failed; `failureType` is the activity failure type when known. */
export class WorkflowRunError extends SluiceClientError {
  override readonly name = 'WorkflowRunError';
  constructor(message: string, readonly workflowId: string, readonly failureType?: string) {
    super(message);
  }
}

/**
 * A business id names an execution the caller may not attach to (another tenant's run, or
 * another kind of workflow). Raised instead of returning that run's result.
 */
export class ExecutionConflictError extends SluiceClientError {
  override readonly name = 'ExecutionConflictError';
}

/** No run has the given workflow id (or it belongs to a kind of workflow that takes no such request). */
export class UnknownRunError extends SluiceClientError {
  override readonly name = 'UnknownRunError';
}

/** A run refused a review decision: not waiting, already decided, wrong reviewer, or an edit the gates stopped. */
export class ReviewRefusedError extends SluiceClientError {
  override readonly name = 'ReviewRefusedError';
}

/** The gateway's API key file cannot be read or fails validation; the message names the file and field. */
export class ApiKeyFileError extends SluiceClientError {
  override readonly name = 'ApiKeyFileError';
}

/** No gateway API key has the given id (`sluice gateway key revoke`). */
export class UnknownApiKeyError extends SluiceClientError {
  override readonly name = 'UnknownApiKeyError';
}
