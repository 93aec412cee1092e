// One question through the real answerWorkflow, ended early when it waits for a reviewer: a bench
// has no reviewer, and a run in review is an answer the gates withheld.
import type { Client } from '@temporalio/client';
import type { AnswerResult } from '../../contracts/answer';
import { gateNames } from '../../contracts/gates';
import { sluiceSearchAttributes, workflowStatuses } from '../../contracts/search-attributes';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';

/** How a question's run ended: the workflow's status, or `pending_review` when it waited for a reviewer. */
export interface AnswerOutcome {
  status: AnswerResult['status'] | 'pending_review';
  answer: string;
  /** Whether the input PII gate redacted part of the question (unknown for a run ended in review). */
  questionRedacted: boolean;
}

const pollMs = 250;

/** Runs `answerWorkflow` for one question of tenant `tenant` and waits for its result or its review. */
export async function askThroughWorkflow(
  client: Client, tenant: string, requestId: string, question: string,
): Promise<AnswerOutcome> {
  const handle = await client.workflow.start(workflowTypes.answer, {
    taskQueue: taskQueues.orchestration, workflowId: `bench-answer-quality-${requestId}-${Date.now()}`,
    args: [{ tenant, requestId, question, feature: 'qa', topK: 4 }],
  });
  const result = handle.result() as Promise<AnswerResult>;
  const inReviewOutcome: AnswerOutcome = { status: 'pending_review', answer: '', questionRedacted: false };
  let done = false;
  let terminated = false;
  const finished = result.then((value) => {
    done = true;
    const questionRedacted = value.gateDecisions.some((decision) => decision.gate === gateNames.pii
      && decision.action === 'redact');
    return { status: value.status, answer: value.answer, questionRedacted } satisfies AnswerOutcome;
  }, (error: unknown) => {
    // The run ended by our own termination (it waited for a reviewer) may report before `terminate` returns.
    if (terminated) return inReviewOutcome;
    throw error;
  });
  const inReview = (async (): Promise<AnswerOutcome | undefined> => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      if (done) return undefined;
      const { searchAttributes } = await handle.describe();
      const status = searchAttributes[sluiceSearchAttributes.status.name] as string[] | undefined;
      if (status?.includes(workflowStatuses.pendingReview)) {
        terminated = true;
        await handle.terminate('bench: no reviewer');
        return inReviewOutcome;
      }
    }
    return undefined;
  })();
  const first = await Promise.race([finished, inReview.then((outcome) => outcome ?? finished)]);
  if (first.status === 'pending_review') result.catch(() => undefined);
  return first;
}
