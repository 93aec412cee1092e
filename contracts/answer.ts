import { z } from 'zod';
import { answerCacheRecordSchema } from './cache';
import { gateDecisionSchema } from './gates';
import { identifierSchema } from './ids';
import { modelAttemptSchema, routingDecisionSchema, tokenUsageSchema } from './models';
import { pinnedVersionsSchema } from './prompts';
import { refinementSchema } from './refinement';
import { reviewRecordSchema } from './review';
import { citationSchema } from './retrieval';
import { refineVisibleText } from './visible-text';

/** What an application asks of the answer pipeline. */
export const answerRequestSchema = z.object({
  tenant: identifierSchema,
  /** Business id of the request; part of the workflow id so a retry deduplicates. */
  requestId: identifierSchema,
  /** Must show something: a question of only zero-width, bidi or control characters is refused. */
  question: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(8_000, 'must be at most 8000 characters')
    .superRefine(refineVisibleText),
  /** Product feature making the call; used for policy, cost and search attributes. */
  feature: identifierSchema.default('qa'),
  /** How many passages to retrieve. */
  topK: z.number().int().min(1).max(20).default(4),
  /** Most prompt tokens the retrieved passages may take; near-duplicates are dropped first. */
  contextTokenBudget: z.number().int().min(100).max(100_000).default(2_000),
  /** Route in the model catalog; its default route when absent. */
  route: z.string().min(1).max(64).optional(),
  /** Most a single model call may cost, in micro-dollars; routing skips dearer models. */
  maxCostMicroUsd: z.number().int().positive().optional(),
  /**
   * The end user asking: keeps their A/B variant the same across requests, and may not review
   * their own request. The request id stands in when absent.
   */
  userId: identifierSchema.optional(),
});
export type AnswerRequest = z.infer<typeof answerRequestSchema>;
/**
 * The request as runs started before the visible-text check parsed it. Only replay uses it: a run
 * already in flight with such a question must replay as it ran, not fail on the new check.
 */
export const answerRequestBeforeVisibleTextSchema = answerRequestSchema.extend({
  question: z.string().trim().min(1, 'must not be empty').max(8_000, 'must be at most 8000 characters'),
});
/** The request as callers may write it, before defaults are applied. */
export type AnswerRequestInput = z.input<typeof answerRequestSchema>;

/** `review_required` is only returned by runs started before review waited for a decision. */
export const answerStatusSchema = z.enum([
  'answered', 'degraded', 'blocked', 'review_required', 'rejected', 'no_context',
]);
export type AnswerStatus = z.infer<typeof answerStatusSchema>;

export const answerResultSchema = z.object({
  status: answerStatusSchema,
  answer: z.string(),
  citations: z.array(citationSchema),
  /** Every gate decision taken on the way in and out. */
  gateDecisions: z.array(gateDecisionSchema),
  /** Model that produced the answer, e.g. `extractive`. */
  model: z.string(),
  /** True when the answer came from a fallback rather than the route's preferred model. */
  degraded: z.boolean(),
  /** How the model step went: routing, every attempt and fallback, usage and cost. Absent when no model ran. */
  generation: z
    .object({
      routing: routingDecisionSchema,
      attempts: z.array(modelAttemptSchema),
      fallbacks: z.number().int().nonnegative(),
      usage: tokenUsageSchema,
      costMicroUsd: z.number().int().nonnegative(),
      promptVersion: z.string(),
    })
    .optional(),
  /** The prompt, variant, route, gate policy and catalog the run was pinned to at its start. */
  pinned: pinnedVersionsSchema.optional(),
  /** Every judge and revise turn before release. */
  refinement: refinementSchema.optional(),
  /** Who decided a run that waited for review, when and what. */
  review: reviewRecordSchema.optional(),
  /** Present when the answer was served from the answer cache instead of generated. */
  cache: answerCacheRecordSchema.optional(),
});
export type AnswerResult = z.infer<typeof answerResultSchema>;
