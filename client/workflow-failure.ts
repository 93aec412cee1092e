import { ApplicationFailure, TemporalFailure, WorkflowFailedError } from '@temporalio/client';
import { WorkflowRunError } from './errors';

/** The innermost failure of a chain (workflow → activity → application), which says what went wrong. */
function rootFailure(error: WorkflowFailedError): Error {
  let current: Error = error.cause ?? error;
  while (current instanceof TemporalFailure && current.cause) current = current.cause;
  return current;
}

/** Turns a failed workflow result into a WorkflowRunError with the root cause's message and type. */
export function toWorkflowRunError(error: unknown, workflowId: string): unknown {
  if (!(error instanceof WorkflowFailedError)) return error;
  const root = rootFailure(error);
  const type = root instanceof ApplicationFailure ? root.type ?? undefined : undefined;
  return new WorkflowRunError(root.message || error.message, workflowId, type);
}
