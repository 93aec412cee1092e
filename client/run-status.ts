import {
  WorkflowNotFoundError, type Client, type WorkflowExecutionDescription, type WorkflowHandle,
} from '@temporalio/client';
import { answerResultSchema, type AnswerResult } from '../contracts/answer';
import { ingestProgressSchema, ingestResultSchema, type IngestProgress, type IngestResult } from '../contracts/ingest';
import { sluiceSearchAttributes, workflowStatuses } from '../contracts/search-attributes';
import { messageNames, runOwnerMemoKey, workflowTypes } from '../contracts/workflow-types';
import { UnknownRunError } from './errors';
import { toWorkflowRunError } from './workflow-failure';

// Reads of a run by workflow id that never wait for it to finish, for callers that poll (the HTTP
// gateway). A run of another tenant reads exactly as a missing one, so a caller cannot learn that
// another tenant's id exists.

/** Where an answer run is; a finished run carries its result (a failed one throws WorkflowRunError). */
export type AnswerRunState = { state: 'running' | 'pending_review' } | { state: 'completed'; result: AnswerResult };

/** Where an ingest run is: its progress while it runs, its report when done. */
export type IngestRunState =
  | { state: 'running'; progress: IngestProgress }
  | { state: 'completed'; result: IngestResult };

/** The tenant that owns a run: the memo its client set, else (older runs) its tenant search attribute. */
function ownerOf(description: WorkflowExecutionDescription): unknown {
  return description.memo?.[runOwnerMemoKey] ?? description.searchAttributes[sluiceSearchAttributes.tenant.name]?.[0];
}

/** The handle and description of the tenant's run of `workflowType`; anything else is an UnknownRunError. */
async function ownRun(
  client: Client, workflowId: string, workflowType: string, tenant: string,
): Promise<{ handle: WorkflowHandle; description: WorkflowExecutionDescription }> {
  const unknown = new UnknownRunError(`no run has the workflow id ${workflowId}`);
  const handle = client.workflow.getHandle(workflowId);
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw unknown;
    throw error;
  }
  if (description.type !== workflowType || ownerOf(description) !== tenant) throw unknown;
  return { handle: client.workflow.getHandle(workflowId, description.runId), description };
}

/**
 * Where the tenant's answer run is. Waiting for review is read from the run's status search
 * attribute in its description (its own state, not the visibility index), so no worker is asked.
 */
export async function answerRunState(client: Client, workflowId: string, tenant: string): Promise<AnswerRunState> {
  const { handle, description } = await ownRun(client, workflowId, workflowTypes.answer, tenant);
  if (description.status.name === 'RUNNING') {
    const status = description.searchAttributes[sluiceSearchAttributes.status.name]?.[0];
    return { state: status === workflowStatuses.pendingReview ? 'pending_review' : 'running' };
  }
  try {
    return { state: 'completed', result: answerResultSchema.parse(await handle.result()) };
  } catch (error) {
    throw toWorkflowRunError(error, workflowId);
  }
}

/** Where the tenant's ingest run is: progress (a query its worker answers) or its report. */
export async function ingestRunState(client: Client, workflowId: string, tenant: string): Promise<IngestRunState> {
  const { handle, description } = await ownRun(client, workflowId, workflowTypes.ingest, tenant);
  if (description.status.name === 'RUNNING') {
    const progress = ingestProgressSchema.parse(await handle.query(messageNames.ingestProgressQuery));
    return { state: 'running', progress };
  }
  try {
    return { state: 'completed', result: ingestResultSchema.parse(await handle.result()) };
  } catch (error) {
    throw toWorkflowRunError(error, workflowId);
  }
}
