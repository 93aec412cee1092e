import { z } from 'zod';
import { identifierSchema } from './ids';
import { judgeScoresSchema } from './review';
import { citationSchema, scoredChunkSchema } from './retrieval';

// The refinement loop: a judge scores a draft, a reviser rewrites it from the critique, until
// the score reaches the route's threshold, the iteration cap or the budget.

const unit = z.number().min(0).max(1);

/** One rubric criterion: the text a model judge reads, and words the offline judge looks for. */
export const rubricCriterionSchema = z.strictObject({
  criterion: z.string().min(1).max(500),
  /** The offline judge counts the criterion met when the draft contains any of these (case-insensitive). */
  keywords: z.array(z.string().min(1)).default([]),
});
export type RubricCriterion = z.infer<typeof rubricCriterionSchema>;

/** How a route refines drafts (a `refine` section of a catalog route). */
export const refinePolicySchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** A draft scoring at least this is released; below it after the loop, it goes to review. */
  minScore: unit.default(0.5),
  /** Revisions after the first draft. */
  maxIterations: z.number().int().min(0).max(10).default(2),
  /** Tokens judge and reviser calls may spend together: once spent, no further revision starts. */
  maxTokens: z.number().int().positive().optional(),
  /** What judge and reviser calls may cost together, in micro-dollars; once spent, no revision starts. */
  maxCostMicroUsd: z.number().int().positive().optional(),
  rubric: z.array(rubricCriterionSchema).default([]),
});
export type RefinePolicy = z.infer<typeof refinePolicySchema>;

/** Input of the offline `judgeDraft` activity, and what a model judge's prompt is built from. */
export const judgeInputSchema = z.object({
  tenant: identifierSchema,
  feature: identifierSchema,
  question: z.string(),
  draft: z.string(),
  citations: z.array(citationSchema),
  passages: z.array(scoredChunkSchema),
  rubric: z.array(rubricCriterionSchema),
});
export type JudgeInput = z.infer<typeof judgeInputSchema>;

/** A judge's verdict on one draft. */
export const judgeResultSchema = z.object({
  scores: judgeScoresSchema,
  /** What to fix, one point per line; the reviser reads these. */
  critique: z.array(z.string()),
  /** `offline`, or the model that judged. */
  judge: z.string(),
});
export type JudgeResult = z.infer<typeof judgeResultSchema>;

/**
 * Weights of the overall judge score. Groundedness counts most (an unsupported claim is what
 * makes a draft unsafe), coverage next; the rubric scores 1 on routes without one, so it never
 * decides alone. Offline and model judges share them, so their scores compare.
 */
export const judgeWeights = { groundedness: 0.5, coverage: 0.3, rubric: 0.2 } as const;

/** The weighted mean of a judge's three scores, rounded to 3 decimals. */
export function overallJudgeScore(scores: { groundedness: number; coverage: number; rubric: number }): number {
  const mean = judgeWeights.groundedness * scores.groundedness + judgeWeights.coverage * scores.coverage +
    judgeWeights.rubric * scores.rubric;
  return Math.round(mean * 1000) / 1000;
}

/** What a model judge must answer: scores and critique as JSON, validated before use. */
export const modelJudgeReplySchema = z.object({
  groundedness: unit,
  coverage: unit,
  rubric: unit,
  critique: z.array(z.string().max(500)).max(10),
});

/** Input of the offline `reviseDraft` activity. */
export const reviseInputSchema = z.object({
  question: z.string(),
  draft: z.string(),
  citations: z.array(citationSchema),
  passages: z.array(scoredChunkSchema),
  critique: z.array(z.string()),
  /** 1 for the first revision. */
  iteration: z.number().int().positive(),
});
export type ReviseInput = z.infer<typeof reviseInputSchema>;

/** A revised draft and how it was made. */
export const reviseResultSchema = z.object({
  text: z.string(),
  citations: z.array(citationSchema),
  /** e.g. `offline:other-passages`, or the model that revised. */
  reviser: z.string(),
});
export type ReviseResult = z.infer<typeof reviseResultSchema>;

/** One turn of the loop, as the result and the UI show it. */
export const refinementIterationSchema = z.object({
  iteration: z.number().int().nonnegative(),
  scores: judgeScoresSchema,
  critique: z.array(z.string()),
  judge: z.string(),
  /** Who produced the draft judged here: the generator for iteration 0, then the reviser. */
  draftBy: z.string(),
});

/** The refinement record an answer carries. */
export const refinementSchema = z.object({
  iterations: z.array(refinementIterationSchema),
  /** `unchanged`: the reviser returned the draft it was given, so judging it again would only spend calls. */
  stoppedBecause: z.enum(['threshold', 'max_iterations', 'budget', 'unchanged']),
  finalScore: unit,
  /** Tokens the judge and reviser calls spent (the first draft's are in `generation`). */
  usage: z.object({ inputTokens: z.number().int().nonnegative(), outputTokens: z.number().int().nonnegative() }),
  costMicroUsd: z.number().int().nonnegative(),
});
export type Refinement = z.infer<typeof refinementSchema>;
