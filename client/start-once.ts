import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { z } from 'zod';
import { formatZodError } from '../contracts/format-error';
import { sluiceSearchAttributes } from '../contracts/search-attributes';
import { taskQueues } from '../contracts/task-queues';
import { runOwnerMemoKey } from '../contracts/workflow-types';
import { ExecutionConflictError, InvalidRequestError } from './errors';

/** Validates client input; an InvalidRequestError names the field. */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidRequestError(formatZodError(parsed.error));
  return parsed.data;
}

/** A workflow whose id carries a business id, and the tenant that owns it. */
export interface OwnedRun {
  workflowType: string;
  workflowId: string;
  tenant: string;
  request: unknown;
  staticSummary: string;
  /** What the caller calls the business id, for the conflict message (`request id`, `feedback id`). */
  idName: string;
  /** Ask the server to start it on a worker that shares the client's connection (SluiceClient.onWorkerConnection). */
  eagerStart?: boolean;
}

/**
 * Starts a workflow whose id carries a business id, or attaches to the execution already
 * running or completed with that id: a repeated request never runs twice. A run that failed
 * (or was terminated, cancelled or timed out) does not block a retry with the same id.
 */
export async function startOnce(client: Client, run: OwnedRun): Promise<StartedRun> {
  try {
    const handle = await client.workflow.start(run.workflowType, {
      taskQueue: taskQueues.orchestration, workflowId: run.workflowId, args: [run.request],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      // The owner travels with the run, so an attaching client can check it before reading the result.
      memo: { [runOwnerMemoKey]: run.tenant }, staticSummary: run.staticSummary,
      ...(run.eagerStart ? { requestEagerStart: true } : {}),
    });
    return { handle, runId: handle.firstExecutionRunId };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return attachToOwnRun(client, run);
  }
}

/** The run a request started or attached to: its handle and run id (known without asking the server again). */
export interface StartedRun {
  handle: WorkflowHandle;
  runId: string;
}

/** The handle of an existing run, once it is shown to be the caller's tenant's run of the same type. */
async function attachToOwnRun(client: Client, run: OwnedRun): Promise<StartedRun> {
  const description = await client.workflow.getHandle(run.workflowId).describe();
  const memo = description.memo ?? {};
  // Runs started before the owner memo existed still carry the tenant search attribute.
  const owner = memo[runOwnerMemoKey] ?? description.searchAttributes[sluiceSearchAttributes.tenant.name]?.[0];
  if (owner !== run.tenant || description.type !== run.workflowType) {
    throw new ExecutionConflictError(`${run.workflowId} is already used by another run; choose another ${run.idName}`);
  }
  return { handle: client.workflow.getHandle(run.workflowId, description.runId), runId: description.runId };
}
