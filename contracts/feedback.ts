import { z } from 'zod';
import { identifierSchema } from './ids';

// Feedback on answers: a user's thumbs up or down, linked to the prompt version, variant,
// model and route of the run it rates, so variants can be compared.

export const feedbackRatingSchema = z.enum(['up', 'down']);
export type FeedbackRating = z.infer<typeof feedbackRatingSchema>;

/** Input of recordFeedbackWorkflow. */
export const feedbackRequestSchema = z.strictObject({
  tenant: identifierSchema,
  /** Business id of this rating; repeating it returns the first result. */
  feedbackId: identifierSchema,
  /** The answer run rated (its workflow id, as `sluice ask` prints it). */
  workflowId: z.string().min(1).max(400),
  rating: feedbackRatingSchema,
  comment: z.string().trim().min(1, 'must not be empty').max(2_000, 'must be at most 2000 characters').optional(),
  /** Who rates; a user's later rating of the same run replaces their earlier one. */
  userId: identifierSchema.optional(),
});
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;
export type FeedbackRequestInput = z.input<typeof feedbackRequestSchema>;

/** What the rated run was pinned to, read from its result. */
export const feedbackLinkSchema = z.object({
  runId: z.string(),
  status: z.string(),
  promptId: z.string(),
  promptVersion: z.string(),
  variant: z.string(),
  model: z.string(),
  route: z.string(),
});
export type FeedbackLink = z.infer<typeof feedbackLinkSchema>;

/** One stored rating. */
export const feedbackRecordSchema = feedbackLinkSchema.extend({
  tenant: identifierSchema,
  workflowId: z.string(),
  rating: feedbackRatingSchema,
  comment: z.string().optional(),
  userId: z.string().optional(),
  /** ISO time the rating was stored. */
  recordedAt: z.string(),
});
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;

/** Input of feedbackReportWorkflow. */
export const feedbackReportRequestSchema = z.strictObject({
  tenant: identifierSchema,
  /** Only ratings of this prompt id. */
  promptId: identifierSchema.optional(),
});
export type FeedbackReportRequest = z.infer<typeof feedbackReportRequestSchema>;

/** Ratings aggregated by prompt version and variant. */
export const feedbackReportSchema = z.object({
  tenant: z.string(),
  total: z.number().int().nonnegative(),
  rows: z.array(z.object({
    promptId: z.string(),
    promptVersion: z.string(),
    variant: z.string(),
    up: z.number().int().nonnegative(),
    down: z.number().int().nonnegative(),
    /** up / (up + down). */
    approval: z.number().min(0).max(1),
  })),
});
export type FeedbackReport = z.infer<typeof feedbackReportSchema>;
