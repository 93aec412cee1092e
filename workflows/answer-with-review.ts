import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { AnswerRequest, AnswerResult } from '../contracts/answer';
import { gateNames, type GateDecision, type InputGateResult, type OutputGateResult } from '../contracts/gates';
import type { AnswerPlan } from '../contracts/prompts';
import type { Refinement } from '../contracts/refinement';
import type { ScoredChunk } from '../contracts/retrieval';
import { workflowStatuses } from '../contracts/search-attributes';
import { searchPreset } from './activity-presets';
import { blockedAnswer, noContextAnswer, rejectedAnswer } from './answer-replies';
import {
  dropInjectedPassages, evidenceFromCitations, restoreRedactions, runInputGates, runOutputGates,
} from './gate-steps';
import { citationsFromMarkers } from '../contracts/citations';
import { lookupCachedAnswer, storeCachedAnswer, type CacheContext } from './answer-cache-steps';
import { generateAndRefine, servedFromCache } from './answer-drafting';
import { passagePiiDecisions, passageRedaction } from './passage-redaction';
import { pinAnswerPlan } from './pinned-plan';
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
  // The pinned context policy rides in the activity's input only: the command is unchanged, and plans
  // pinned without one send what they always sent.
  // Retrieval searches the tenant's own corpus with what the user asked unless the route says otherwise;
  // plans pinned before `retrievalQuery` existed search the redacted text, as they always did.
  const searchAsked = plan.retrievalQuery === 'asked' && input.sealedRedactions !== undefined;
  const context = await retrieval.retrieveContext({
    tenant, query: input.text, topK: request.topK, tokenBudget: request.contextTokenBudget,
    ...(searchAsked ? { unredactedQuery: request.question } : {}),
    ...(redactPii ? { redactPii } : {}), ...(plan.context ? { context: plan.context } : {}),
    ...(plan.rerank ? { rerank: plan.rerank } : {}),
  });
  gateDecisions.push(...passagePiiDecisions(context));
  const scanned = await dropInjectedPassages({ tenant, feature, passages: context.passages, gateSet });
  gateDecisions.push(...scanned.decisions);
  const passages = scanned.passages;
  if (passages.length === 0) {
    markExecution({ status: workflowStatuses.noContext, model: 'none' });
    return { status: 'no_context', answer: noContextAnswer, citations: [], gateDecisions, ...none };
  }

  const cacheContext: CacheContext = {
    tenant, plan, pinned, question: input.text, passages, redacted: input.sealedRedactions !== undefined,
  };
  const hit = await lookupCachedAnswer(cacheContext);
  const produced = hit ? servedFromCache(hit, pinned) : await generateAndRefine({
    tenant, feature, plan, prompt, pinned, question: input.text, intent: input.intent, passages,
    maxCostMicroUsd: request.maxCostMicroUsd, ...(searchAsked ? { groundingQuestion: request.question } : {}),
  });
  if (produced.empty) {
    markExecution({ status: workflowStatuses.noContext, model: produced.model, costMicroUsd: produced.costMicroUsd });
    return { status: 'no_context', answer: noContextAnswer, citations: [], gateDecisions, ...produced.ran };
  }
  const { draft, refinement, judged, costMicroUsd } = produced;
  const refined = produced.ran;

  setCurrentDetails('checking output gates');
  // Output gates see the answer before redactions are restored, so the user's own values are not flagged as leaks.
  const output = await runOutputGates({
    tenant, feature, text: draft.text, evidence: evidenceFromCitations(draft.citations, passages), gateSet,
  });
  gateDecisions.push(...output.decisions);
  if (output.action === 'block') {
    markExecution({ status: workflowStatuses.blocked, model: produced.model });
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
      markExecution({ status: workflowStatuses.rejected, model: produced.model, costMicroUsd });
      setCurrentDetails(`rejected (${review.decision}${review.reviewer ? ` by ${review.reviewer}` : ''})`);
      return { status: 'rejected', answer: rejectedAnswer, citations: [], gateDecisions, ...refined, review };
    }
    if (verdict.text !== undefined) released = {
      text: verdict.text, citations: citationsFromMarkers(verdict.text, passages),
    };
  }

  if (!hit && !review && produced.status === 'answered') {
    await storeCachedAnswer(cacheContext, {
      text: released.text, citations: released.citations, model: produced.model, workflowId: workflowInfo().workflowId,
      paidTokens: produced.paidTokens,
    });
  }

  const restored = await restoreRedactions({ tenant, requestId, text: released.text, sealed: input.sealedRedactions });
  // An answer that still carries placeholders meant to hold the user's own values is not a clean answer.
  const unrestored = restored.unrestored !== undefined;
  if (restored.unrestored) gateDecisions.push(restored.unrestored);
  const status = produced.status === 'degraded' || unrestored ? 'degraded' : 'answered';
  markExecution({
    status: status === 'degraded' ? workflowStatuses.degraded : workflowStatuses.answered,
    model: produced.model, costMicroUsd, ...(cacheContext.plan.cache ? { cacheHit: hit?.kind ?? 'miss' } : {}),
  });
  setCurrentDetails(
    `${status} by ${produced.model}${hit ? ` from the cache (${hit.kind})` : ''}` +
      ` with ${released.citations.length} citation(s)` +
      `${review ? ` after review (${review.decision} by ${review.reviewer})` : ''}` +
      `${unrestored ? ', redactions not restored' : ''}`,
  );
  return {
    status, answer: restored.text, citations: released.citations, gateDecisions, ...refined,
    degraded: produced.degraded || unrestored, ...(review ? { review } : {}),
  };
}
