import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { AnswerRequest, AnswerResult } from '../contracts/answer';
import type { GateAction, GateDecision } from '../contracts/gates';
import { workflowStatuses } from '../contracts/search-attributes';
import { searchPreset } from './activity-presets';
import { blockedAnswer, noContextAnswer, reviewRequiredAnswer } from './answer-replies';
import {
  dropInjectedPassages, evidenceFromCitations, restoreRedactions, runInputGates, runOutputGates,
} from './gate-steps';
import { generateWithRouting, groundedMessages } from './generate-with-fallback';
import { markExecution } from './search-attributes';

// Executions started before the reviewed pipeline (answer-with-review.ts) replay on this code.
// Keep its commands and their order: the histories in test/replay/histories guard them.

const retrieval = proxyActivities<SluiceActivities>(searchPreset);

/** Prompt version of runs of this pipeline; newer runs pin theirs from prompts/ (answer-with-review.ts). */
export const answerPromptVersion = 'grounded-v1';

/** The reply for a request or answer a gate stopped, or undefined when it may go on. */
function stopped(action: GateAction, gateDecisions: GateDecision[]): AnswerResult | undefined {
  if (action === 'block') {
    markExecution({ status: workflowStatuses.blocked });
    return { status: 'blocked', answer: blockedAnswer, citations: [], gateDecisions, model: 'none', degraded: false };
  }
  if (action === 'review') {
    markExecution({ status: workflowStatuses.reviewRequired });
    return {
      status: 'review_required',
      answer: reviewRequiredAnswer,
      citations: [],
      gateDecisions,
      model: 'none',
      degraded: false,
    };
  }
  return undefined;
}

/**
 * The layered answer pipeline: input gates (injection, PII redaction, policy) → retrieval
 * packed under a token budget → passages scanned for indirect injection → routed model call
 * with fallbacks → output gates → the user's redacted values restored.
 */
export async function answerWithLayers(request: AnswerRequest): Promise<AnswerResult> {
  const { tenant, feature, requestId } = request;

  setCurrentDetails('checking input gates');
  const input = await runInputGates({ tenant, feature, requestId, text: request.question });
  const gateDecisions = [...input.decisions];
  const stoppedOnInput = stopped(input.action, gateDecisions);
  if (stoppedOnInput) return stoppedOnInput;

  setCurrentDetails('retrieving passages');
  const context = await retrieval.retrieveContext({
    tenant,
    query: input.text,
    topK: request.topK,
    tokenBudget: request.contextTokenBudget,
  });
  const scanned = await dropInjectedPassages({ tenant, feature, passages: context.passages });
  gateDecisions.push(...scanned.decisions);
  if (scanned.passages.length === 0) {
    markExecution({ status: workflowStatuses.noContext, model: 'none' });
    return {
      status: 'no_context',
      answer: noContextAnswer,
      citations: [],
      gateDecisions,
      model: 'none',
      degraded: false,
    };
  }

  setCurrentDetails(`generating answer from ${scanned.passages.length} passage(s)`);
  const generated = await generateWithRouting({
    messages: groundedMessages(input.text, scanned.passages),
    tags: { tenant, feature, promptVersion: answerPromptVersion },
    grounding: { question: input.text, passages: scanned.passages },
    intent: input.intent, route: request.route, maxCostMicroUsd: request.maxCostMicroUsd,
  });
  const generation = {
    routing: generated.routing, attempts: generated.attempts, fallbacks: generated.fallbacks, usage: generated.usage,
    costMicroUsd: generated.costMicroUsd, promptVersion: answerPromptVersion,
  };
  if (!generated.text) {
    markExecution({ status: workflowStatuses.noContext, model: generated.model, costMicroUsd: generated.costMicroUsd });
    return {
      status: 'no_context',
      answer: noContextAnswer,
      citations: [],
      gateDecisions,
      model: generated.model,
      degraded: generated.degraded,
      generation,
    };
  }

  setCurrentDetails('checking output gates');
  // Output gates see the answer before redactions are restored, so the user's own values are not flagged as leaks.
  const output = await runOutputGates({
    tenant,
    feature,
    text: generated.text,
    evidence: evidenceFromCitations(generated.citations, scanned.passages),
  });
  gateDecisions.push(...output.decisions);
  const stoppedOnOutput = stopped(output.action, gateDecisions);
  if (stoppedOnOutput) return { ...stoppedOnOutput, generation };

  const restored = await restoreRedactions({ tenant, requestId, text: output.text, sealed: input.sealedRedactions });
  // An answer that still carries placeholders meant to hold the user's own values is not a clean answer.
  const unrestored = restored.unrestored !== undefined;
  if (restored.unrestored) gateDecisions.push(restored.unrestored);
  const status = generated.status === 'degraded' || unrestored ? 'degraded' : 'answered';
  markExecution({
    status: status === 'degraded' ? workflowStatuses.degraded : workflowStatuses.answered, model: generated.model,
    costMicroUsd: generated.costMicroUsd,
  });
  setCurrentDetails(
    `${status} by ${generated.model} with ${generated.citations.length} citation(s)` +
      `${unrestored ? ', redactions not restored' : ''}`,
  );
  return {
    status, answer: restored.text, citations: generated.citations, gateDecisions, model: generated.model,
    degraded: generated.degraded || unrestored, generation,
  };
}
