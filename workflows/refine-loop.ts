import { proxyLocalActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { ModelPlan } from '../contracts/models';
import type { AnswerPlan } from '../contracts/prompts';
import {
  modelJudgeReplySchema, overallJudgeScore, type JudgeInput, type JudgeResult, type Refinement,
} from '../contracts/refinement';
import type { Citation, ScoredChunk } from '../contracts/retrieval';
import { gateLocalPreset } from './activity-presets';
import { budgetedModelCall } from './answer-budget';
import { citationsFromMarkers } from '../contracts/citations';
import { generateWithFallback } from './generate-with-fallback';
import { numberedPassages, promptMessages } from './pinned-plan';

// The refinement loop: judge the draft; under the route's threshold, revise it from the critique;
// stop at the threshold, the iteration cap or the budget. Offline, judge and reviser are
// deterministic activities; with a model route they are model calls on the run's pinned route.

/** A draft answer and who wrote it. */
export interface Draft {
  text: string;
  citations: Citation[];
  by: string;
}

interface RefineContext {
  tenant: string;
  feature: string;
  question: string;
  passages: ScoredChunk[];
  plan: AnswerPlan;
  /** The run's routed model plan, reused so judge and reviser use the route the run pinned. */
  modelPlan: ModelPlan;
}

interface Spend {
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

/** Whose budget a refinement call is charged to, and the route's policy (absent in plans pinned before budgets). */
const budgetCall = (context: RefineContext) => ({
  tenant: context.tenant, feature: context.feature,
  ...(context.plan.overBudget ? { overBudget: context.plan.overBudget } : {}),
});

// Summaries name each step in the UI's event list, so each iteration can be read there. The
// offline judge and reviser are CPU work in this worker's process: local activities, no queue hop.
const offline = (summary: string) => proxyLocalActivities<SluiceActivities>({ ...gateLocalPreset, summary });

async function judge(context: RefineContext, draft: Draft, iteration: number, spend: Spend): Promise<JudgeResult> {
  const input: JudgeInput = {
    tenant: context.tenant, feature: context.feature, question: context.question, draft: draft.text,
    citations: draft.citations, passages: context.passages, rubric: context.plan.refine.rubric,
  };
  const judgePrompt = context.plan.judgePrompt;
  if (context.plan.modelJudge && judgePrompt) {
    const rubric = context.plan.refine.rubric.map((item, index) => `${index + 1}. ${item.criterion}`).join('\n');
    const reply = await budgetedModelCall(budgetCall(context), context.modelPlan, `judge-${iteration}`, () =>
      generateWithFallback(context.modelPlan, {
        messages: promptMessages(judgePrompt, {
          question: context.question, passages: numberedPassages(context.passages), draft: draft.text,
          rubric: rubric || '(none)',
        }),
        tags: { tenant: context.tenant, feature: context.feature, promptVersion: judgePrompt.version },
        temperature: 0, stream: false,
      }));
    if (reply) addSpend(spend, reply);
    const verdict = reply && readModelVerdict(reply.text, reply.model);
    if (verdict) return verdict;
  }
  return offline(`judge draft ${iteration}`).judgeDraft(input);
}

/** A model judge's JSON reply, validated; undefined when it is not usable (the offline judge then decides). */
function readModelVerdict(text: string, model: string): JudgeResult | undefined {
  if (!text || model === 'extractive') return undefined;
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  if (!json) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = modelJudgeReplySchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { groundedness, coverage, rubric, critique } = parsed.data;
  const overall = overallJudgeScore({ groundedness, coverage, rubric });
  return { scores: { groundedness, coverage, rubric, overall }, critique, judge: model };
}

async function revise(
  context: RefineContext, draft: Draft, critique: string[], iteration: number, spend: Spend,
): Promise<Draft> {
  const revisePrompt = context.plan.revisePrompt;
  if (context.plan.modelJudge && revisePrompt) {
    const reply = await budgetedModelCall(budgetCall(context), context.modelPlan, `revise-${iteration}`, () =>
      generateWithFallback(context.modelPlan, {
        messages: promptMessages(revisePrompt, {
          question: context.question, passages: numberedPassages(context.passages), draft: draft.text,
          critique: critique.map((line) => `- ${line}`).join('\n') || '(none)',
        }),
        tags: { tenant: context.tenant, feature: context.feature, promptVersion: revisePrompt.version }, local: true,
      }));
    if (reply) addSpend(spend, reply);
    if (reply?.text && reply.model !== 'extractive') {
      return { text: reply.text, citations: citationsFromMarkers(reply.text, context.passages), by: reply.model };
    }
  }
  const revised = await offline(`revise draft ${iteration}`).reviseDraft({
    question: context.question, draft: draft.text, citations: draft.citations, passages: context.passages,
    critique, iteration,
  });
  return { text: revised.text, citations: revised.citations, by: revised.reviser };
}

function addSpend(
  spend: Spend, call: { usage: { inputTokens: number; outputTokens: number }; costMicroUsd: number },
): void {
  spend.inputTokens += call.usage.inputTokens;
  spend.outputTokens += call.usage.outputTokens;
  spend.costMicroUsd += call.costMicroUsd;
}

function overBudget(plan: AnswerPlan, spend: Spend): boolean {
  const { maxTokens, maxCostMicroUsd } = plan.refine;
  return (maxTokens !== undefined && spend.inputTokens + spend.outputTokens >= maxTokens) ||
    (maxCostMicroUsd !== undefined && spend.costMicroUsd >= maxCostMicroUsd);
}

/**
 * Judges and revises until the draft scores at least the route's `minScore`, the iteration cap
 * is reached, the judge and reviser calls have spent the budget, or a revision changes nothing.
 * Returns the best-scoring draft (a revision can score lower than the draft it revised) with its
 * scores, and the record of every turn.
 */
export async function refineDraft(
  context: RefineContext, first: Draft,
): Promise<{ draft: Draft; scores: JudgeResult['scores']; refinement: Refinement }> {
  const { minScore, maxIterations } = context.plan.refine;
  const spend: Spend = { inputTokens: 0, outputTokens: 0, costMicroUsd: 0 };
  const iterations: Refinement['iterations'] = [];
  let draft = first;
  let best: { draft: Draft; scores?: JudgeResult['scores'] } = { draft: first };
  let stoppedBecause: Refinement['stoppedBecause'];
  for (let iteration = 0; ; iteration += 1) {
    setCurrentDetails(`refining: judging draft ${iteration}`);
    const verdict = await judge(context, draft, iteration, spend);
    iterations.push({
      iteration, scores: verdict.scores, critique: verdict.critique, judge: verdict.judge, draftBy: draft.by,
    });
    if (!best.scores || verdict.scores.overall > best.scores.overall) best = { draft, scores: verdict.scores };
    if (verdict.scores.overall >= minScore) { stoppedBecause = 'threshold'; break; }
    if (iteration >= maxIterations) { stoppedBecause = 'max_iterations'; break; }
    if (overBudget(context.plan, spend)) { stoppedBecause = 'budget'; break; }
    setCurrentDetails(`refining: revising draft ${iteration} (score ${verdict.scores.overall} < ${minScore})`);
    const revised = await revise(context, draft, verdict.critique, iteration + 1, spend);
    // Judging the same text again would only spend calls.
    if (revised.text === draft.text) { stoppedBecause = 'unchanged'; break; }
    draft = revised;
  }
  const scores = best.scores!;
  return {
    draft: best.draft,
    scores,
    refinement: {
      iterations, stoppedBecause, finalScore: scores.overall,
      usage: { inputTokens: spend.inputTokens, outputTokens: spend.outputTokens }, costMicroUsd: spend.costMicroUsd,
    },
  };
}
