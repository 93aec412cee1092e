import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { answerResultSchema, type AnswerResult } from '../../contracts/answer';
import type { FeedbackLink } from '../../contracts/feedback';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { runOwnerMemoKey, workflowTypes } from '../../contracts/workflow-types';
import { errorTypes } from '../../contracts/error-types';
import { invalidInput, nonRetryable } from '../failures';

const tenantKey = defineSearchAttributeKey(sluiceSearchAttributes.tenant.name, SearchAttributeType.KEYWORD);

/** Prompt id of answer runs started before runs were pinned to a prompt version. */
export const unpinnedPromptId = 'grounded-answer';

/** The tenant that owns a run: its memo, else (runs started without one) its tenant search attribute. */
function ownerOf(description: WorkflowExecutionDescription): unknown {
  return description.memo?.[runOwnerMemoKey] ?? description.typedSearchAttributes.get(tenantKey);
}

/** What a rating is linked to, from the answer run's result (runs older than pinning carry less). */
export function linkFromResult(runId: string, result: AnswerResult): FeedbackLink {
  const pinned = result.pinned;
  return {
    runId,
    status: result.status,
    promptId: pinned?.promptId ?? unpinnedPromptId,
    promptVersion: pinned?.promptVersion ?? result.generation?.promptVersion ?? 'unknown',
    variant: pinned?.variant ?? 'default',
    model: result.model,
    route: pinned?.route ?? result.generation?.routing.route ?? 'default',
  };
}

/**
 * Reads the rated answer run from Temporal and links the rating to what it was pinned to. A missing run fails
 * as UnknownRun, and another tenant's run reads exactly like a missing one, so a rating never reveals that it
 * exists; a run that cannot be rated (not an answer, not finished) fails as InvalidInput.
 */
export async function linkFeedback(
  client: Client, request: { tenant: string; workflowId: string },
): Promise<FeedbackLink> {
  const { tenant, workflowId } = request;
  const unknown = nonRetryable(errorTypes.unknownRun, `no answer run ${workflowId} found for tenant ${tenant}`);
  let description: WorkflowExecutionDescription;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw unknown;
    throw error;
  }
  if (ownerOf(description) !== tenant) throw unknown;
  if (description.type !== workflowTypes.answer) {
    throw invalidInput(`${workflowId} is not an answer run (it is a ${description.type}): only answers can be rated`);
  }
  const status = description.status.name;
  if (status !== 'COMPLETED') {
    const state = status.toLowerCase();
    throw invalidInput(`answer run ${workflowId} is ${state}, not completed: rate it once it has answered`);
  }
  const parsed = answerResultSchema.safeParse(await client.workflow.getHandle(workflowId, description.runId).result());
  if (!parsed.success) throw invalidInput(`the result of answer run ${workflowId} cannot be read`);
  return linkFromResult(description.runId, parsed.data);
}
