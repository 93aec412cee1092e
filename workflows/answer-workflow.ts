import { patched } from '@temporalio/workflow';
import { answerRequestBeforeVisibleTextSchema, answerRequestSchema, type AnswerResult } from '../contracts/answer';
import { workflowStatuses } from '../contracts/search-attributes';
import { workflowVersioning } from '../contracts/worker-deployment';
import { answerWithLayers } from './answer-pipeline';
import { answerWithReview } from './answer-with-review';
import { answerWithSkeleton } from './answer-skeleton';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';
import { countAnswer } from './workflow-metrics';
import { declareVersioning } from './versioning';

export { blockedAnswer, noContextAnswer } from './answer-replies';

/** Patch ids: each marks a change of the workflow's shape that running executions must not see. */
export const answerPatches = {
  /** Gates, packed retrieval, routed model calls with fallbacks, output gates (answer-pipeline.ts). */
  layeredPipeline: 'sluice-answer-layered-v1',
  /** Pinned plan, refinement loop, human review with deadlines (answer-with-review.ts). */
  reviewedPipeline: 'sluice-answer-reviewed-v1',
  /** Questions with nothing visible, NUL or lone surrogates are refused (contracts/visible-text.ts). */
  visibleQuestion: 'sluice-answer-visible-question-v1',
} as const;

/** The answer pipeline: gates on the way in and out, retrieval, a model call with fallbacks. */
export async function answerWorkflow(rawRequest: unknown): Promise<AnswerResult> {
  const schema = patched(answerPatches.visibleQuestion) ? answerRequestSchema : answerRequestBeforeVisibleTextSchema;
  const request = parseWorkflowInput(schema, rawRequest);
  markExecution({ tenant: request.tenant, feature: request.feature, status: workflowStatuses.running });
  // Executions started before each change replay on the code they began with.
  const result = patched(answerPatches.reviewedPipeline) ? await answerWithReview(request)
    : patched(answerPatches.layeredPipeline) ? await answerWithLayers(request)
      : await answerWithSkeleton(request);
  countAnswer(request.tenant, result);
  return result;
}

// Pinned: a run waiting days for its reviewer ends on the build it started on (contracts/worker-deployment.ts).
declareVersioning(answerWorkflow, workflowVersioning.answer);
