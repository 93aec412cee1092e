import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import { answerRequestSchema, type AnswerResult } from '../contracts/answer';
import { strictestAction, type GateDecision } from '../contracts/gates';
import { workflowStatuses } from '../contracts/search-attributes';
import { gatePreset, modelPreset, retrievalPreset } from './activity-presets';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';

const gates = proxyActivities<SluiceActivities>(gatePreset);
const retrieval = proxyActivities<SluiceActivities>(retrievalPreset);
const models = proxyActivities<SluiceActivities>(modelPreset);

/** Fixed reply for a blocked request: says that, not why, so the gate can't be probed. */
export const blockedAnswer = 'This request was blocked by a safety policy.';
/** Reply when retrieval finds nothing to answer from. */
export const noContextAnswer = 'No ingested document answers this question.';

/** Answer pipeline: input gates → retrieval → model → result with citations. */
export async function answerWorkflow(rawRequest: unknown): Promise<AnswerResult> {
  const request = parseWorkflowInput(answerRequestSchema, rawRequest);
  markExecution({ tenant: request.tenant, feature: request.feature, status: workflowStatuses.running });

  setCurrentDetails('checking input gates');
  const gateDecisions: GateDecision[] = await gates.checkInput({ tenant: request.tenant, feature: request.feature, text: request.question });
  if (strictestAction(gateDecisions) === 'block') {
    markExecution({ status: workflowStatuses.blocked });
    return { status: 'blocked', answer: blockedAnswer, citations: [], gateDecisions, model: 'none', degraded: false };
  }
  const question = gateDecisions.find((decision) => decision.action === 'redact')?.redactedText ?? request.question;

  setCurrentDetails('retrieving passages');
  const passages = await retrieval.retrievePassages({ tenant: request.tenant, query: question, topK: request.topK });

  setCurrentDetails('generating answer');
  const generated = await models.generateAnswer({ question, passages });
  if (!generated.text) {
    markExecution({ status: workflowStatuses.answered, model: generated.model });
    return { status: 'no_context', answer: noContextAnswer, citations: [], gateDecisions, model: generated.model, degraded: false };
  }
  markExecution({ status: workflowStatuses.answered, model: generated.model });
  setCurrentDetails(`answered by ${generated.model} with ${generated.citations.length} citation(s)`);
  return { status: 'answered', answer: generated.text, citations: generated.citations, gateDecisions, model: generated.model, degraded: false };
}
