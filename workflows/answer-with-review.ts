import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { AnswerRequest, AnswerResult } from '../contracts/answer';
import { gateNames, type GateDecision, type InputGateResult, type OutputGateResult } from '../contracts/gates';
import type { AnswerPlan } from '../contracts/prompts';
import type { Refinement } from '../contracts/refinement';
import type { JudgeScores } from '../contracts/review';
import type { ScoredChunk } from '../contracts/retrieval';
import { workflowStatuses } from '../contracts/search-attributes';
import { searchPreset } from './activity-presets';
import { blockedAnswer, noContextAnswer, rejectedAnswer } from './answer-replies';
import {
  dropInjectedPassages, evidenceFromCitations, restoreRedactions, runInputGates, runOutputGates,
} from './gate-steps';
import { citationsFromMarkers } from '../contracts/citations';
import { generateWithFallback, planModelRoute } from './generate-with-fallback';
import { passagePiiDecisions, passageRedaction } from './passage-redaction';
import { numberedPassages, pinAnswerPlan, promptMessages } from './pinned-plan';
import { refineDraft, type Draft } from './refine-loop';
import { ReviewDesk, type EditCheck } from './review-desk';
import { markExecution } from './search-attributes';

const retrieval = proxyActivities<SluiceActivities>(searchPreset);

/** A gate decision as one line a reviewer reads: the gate and its reasons. */
const describeDecision = (decision: GateDecision): string => `${decision.gate}: ${decision.reasons.join('; ')}`;

/** Why a draft must wait for a reviewer; empty when it may be released. */
function reviewReasons(
  input: InputGateResult, output: OutputGateResult, plan: AnswerPlan, refinement?: Refinement,
): string[] {
  const flagged = (decisions: GateDecision[]) =>
    decisions
      .filter((decision) => decision.action === 'review')
      .map(describeDecision);
  const reasons = [...flagged(input.decisions), ...flagged(output.decisions)];
  if (plan.review.always) reasons.push(`route ${plan.policyRoute} sends every answer to review`);
  const threshold = plan.review.belowScore;
  if (threshold !== undefined && refinement && refinement.finalScore < threshold) {
    reasons.push(`judge score ${refinement.finalScore} is below the route's review threshold ${threshold}`);
  }
  return reasons;
}

/**
 * A reviewer's edit is released only if the output gates pass it. A groundedness `review` is
 * waived (a person wrote it, and a person is the review); anything else not allowed refuses it.
 */
function editCheck(context: { tenant: string; feature: string; passages: ScoredChunk[]; plan: AnswerPlan }): EditCheck {
  return async (text) => {
    const citations = citationsFromMarkers(text, context.passages);
    const output = await runOutputGates({
      tenant: context.tenant, feature: context.feature, text,
      evidence: evidenceFromCitations(citations, context.passages),
      gateSet: context.plan.gatePolicy.gates,
    });
    const refusals = output.decisions
      .filter((decision) => decision.action === 'block' ||
        (decision.action !== 'allow' && decision.gate !== gateNames.groundedness))
      .map(describeDecision);
    return { text: output.text, refusals };
  };
}

/**
 * The answer pipeline with its durable paths: the prompt, variant, route and policies pinned at
 * the start → input gates → retrieval → model call with fallbacks → judge-and-revise loop →
 * output gates → a reviewer's decision when flagged (waiting as long as the route allows) →
 * the user's redacted values restored.
 */
export async function answerWithReview(request: AnswerRequest): Promise<AnswerResult> {
  const { tenant, feature, requestId } = request;
  const desk = new ReviewDesk({ tenant, feature, ...(request.userId ? { requestedBy: request.userId } : {}) });

  setCurrentDetails('pinning prompt, route and policies');
  const { plan, prompt, pinned } = await pinAnswerPlan(request);
  markExecution({ promptVersion: `${pinned.promptId}@${pinned.promptVersion}`, variant: pinned.variant });
  const gateSet = plan.gatePolicy.gates;
  const none = { model: 'none', degraded: false, pinned } as const;

  setCurrentDetails('checking input gates');
  const input = await runInputGates({ tenant, feature, requestId, text: request.question, gateSet });
  const gateDecisions = [...input.decisions];
  if (input.action === 'block') {
    markExecution({ status: workflowStatuses.blocked });
    return { status: 'blocked', answer: blockedAnswer, citations: [], gateDecisions, ...none };
  }

  setCurrentDetails('retrieving passages');
  const redactPii = passageRedaction(plan);
  const context = await retrieval.retrieveContext({
    tenant, query: input.text, topK: request.topK, tokenBudget: request.contextTokenBudget,
    ...(redactPii ? { redactPii } : {}),
  });
  gateDecisions.push(...passagePiiDecisions(context));
  const scanned = await dropInjectedPassages({ tenant, feature, passages: context.passages, gateSet });
  gateDecisions.push(...scanned.decisions);
  const passages = scanned.passages;
  if (passages.length === 0) {
    markExecution({ status: workflowStatuses.noContext, model: 'none' });
    return { status: 'no_context', answer: noContextAnswer, citations: [], gateDecisions, ...none };
  }

  setCurrentDetails(
    `generating answer from ${passages.length} passage(s) with ${pinned.promptId}@${pinned.promptVersion}`,
  );
  const messages = promptMessages(prompt, { question: input.text, passages: numberedPassages(passages) });
  const modelPlan = await planModelRoute({
    messages, route: plan.route, intent: input.intent, maxCostMicroUsd: request.maxCostMicroUsd,
  }, { local: true });
  const generated = await generateWithFallback(modelPlan, {
    messages, tags: { tenant, feature, promptVersion: pinned.promptVersion },
    grounding: { question: input.text, passages }, local: true,
  });
  const generation = {
    routing: generated.routing, attempts: generated.attempts, fallbacks: generated.fallbacks, usage: generated.usage,
    costMicroUsd: generated.costMicroUsd, promptVersion: pinned.promptVersion,
  };
  const ran = { model: generated.model, degraded: generated.degraded, generation, pinned };
  if (!generated.text) {
    markExecution({ status: workflowStatuses.noContext, model: generated.model, costMicroUsd: generated.costMicroUsd });
    return { status: 'no_context', answer: noContextAnswer, citations: [], gateDecisions, ...ran };
  }

  let draft: Draft = { text: generated.text, citations: generated.citations, by: generated.model };
  let refinement: Refinement | undefined;
  let judged: JudgeScores | undefined;
  if (plan.refine.enabled) {
    ({ draft, refinement, scores: judged } = await refineDraft({
      tenant, feature, question: input.text, passages, plan, modelPlan,
    }, draft));
  }
  const refined = { ...ran, ...(refinement ? { refinement } : {}) };
  const costMicroUsd = generated.costMicroUsd + (refinement?.costMicroUsd ?? 0);

  setCurrentDetails('checking output gates');
  // Output gates see the answer before redactions are restored, so the user's own values are not flagged as leaks.
  const output = await runOutputGates({
    tenant, feature, text: draft.text, evidence: evidenceFromCitations(draft.citations, passages), gateSet,
  });
  gateDecisions.push(...output.decisions);
  if (output.action === 'block') {
    markExecution({ status: workflowStatuses.blocked, model: generated.model });
    return { status: 'blocked', answer: blockedAnswer, citations: [], gateDecisions, ...refined };
  }

  let released = { text: output.text, citations: draft.citations };
  let review: AnswerResult['review'];
  const reasons = reviewReasons(input, output, plan, refinement);
  if (reasons.length > 0) {
    const verdict = await desk.waitForDecision({
      question: input.text, draft: output.text, gateDecisions, reasons,
      citations: draft.citations.map((citation) => ({
        ...citation, passage: passages[citation.marker - 1]?.text ?? citation.quote,
      })),
      ...(judged ? { judge: judged } : {}),
    }, plan.review, editCheck({ tenant, feature, passages, plan }));
    review = verdict.record;
    if (review.decision === 'reject' || review.decision === 'auto_reject') {
      markExecution({ status: workflowStatuses.rejected, model: generated.model, costMicroUsd });
      setCurrentDetails(`rejected (${review.decision}${review.reviewer ? ` by ${review.reviewer}` : ''})`);
      return { status: 'rejected', answer: rejectedAnswer, citations: [], gateDecisions, ...refined, review };
    }
    if (verdict.text !== undefined) released = {
      text: verdict.text, citations: citationsFromMarkers(verdict.text, passages),
    };
  }

  const restored = await restoreRedactions({ tenant, requestId, text: released.text, sealed: input.sealedRedactions });
  // An answer that still carries placeholders meant to hold the user's own values is not a clean answer.
  const unrestored = restored.unrestored !== undefined;
  if (restored.unrestored) gateDecisions.push(restored.unrestored);
  const status = generated.status === 'degraded' || unrestored ? 'degraded' : 'answered';
  markExecution({
    status: status === 'degraded' ? workflowStatuses.degraded : workflowStatuses.answered,
    model: generated.model, costMicroUsd,
  });
  setCurrentDetails(
    `${status} by ${generated.model} with ${released.citations.length} citation(s)` +
      `${review ? ` after review (${review.decision} by ${review.reviewer})` : ''}` +
      `${unrestored ? ', redactions not restored' : ''}`,
  );
  return {
    status, answer: restored.text, citations: released.citations, gateDecisions, ...refined,
    degraded: generated.degraded || unrestored, ...(review ? { review } : {}),
  };
}
