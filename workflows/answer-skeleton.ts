import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { AnswerRequest, AnswerResult } from '../contracts/answer';
import { strictestAction, type GateDecision } from '../contracts/gates';
import { workflowStatuses } from '../contracts/search-attributes';
import { gatePreset, modelPreset, retrievalPreset } from './activity-presets';
import { blockedAnswer, noContextAnswer } from './answer-replies';
import { markExecution } from './search-attributes';

// The first answer pipeline, kept unchanged so executions started before the layered pipeline
// (answer-pipeline.ts) still replay and finish the way they began. Do not edit: it must keep
// issuing the same commands in the same order as the histories in test/replay/histories.

const gates = proxyActivities<SluiceActivities>(gatePreset);
const retrieval = proxyActivities<SluiceActivities>(retrievalPreset);
const models = proxyActivities<SluiceActivities>(modelPreset);

/** Input gate → retrieval → extractive model, as first shipped. */
export async function answerWithSkeleton(request: AnswerRequest): Promise<AnswerResult> {
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
