import { z } from 'zod';
import { durationSchema } from './duration';
import { gateDecisionSchema } from './gates';
import { identifierSchema } from './ids';
import { citationSchema } from './retrieval';

// Human review of flagged answers: the per-route policy (who reviews, by when, what happens at
// the deadline), the decisions reviewers send, the record a decided run keeps, and what a
// reviewer sees. Decisions arrive as Temporal updates (validated, answered) or signals.

/** A reviewer group's members: reviewer ids, or `*` for anyone who names themselves (one-machine default). */
export const reviewerGroupMembersSchema = z.array(z.union([identifierSchema, z.literal('*')])).min(1);
export const anyReviewer = '*';

const deadlineActionSchema = z.discriminatedUnion('action', [
  /** Auto-reject with the safe reply. */
  z.strictObject({ action: z.literal('reject') }),
  /** Hand the run to a second group with a new deadline; when that passes too, auto-reject. */
  z.strictObject({ action: z.literal('escalate'), group: identifierSchema, deadline: durationSchema }),
]);

/** How a route's flagged answers are reviewed (a `review` section of a catalog route). */
export const reviewPolicySchema = z.strictObject({
  /** Reviewer group (a key of the catalog's `reviewGroups`) that decides this route's runs. */
  group: identifierSchema.default('reviewers'),
  /** Every answer of the route waits for a reviewer, flagged or not. */
  always: z.boolean().default(false),
  /** How long a run waits for a decision, e.g. "48h". @default 24h */
  deadline: durationSchema.default(24 * 3_600_000),
  onDeadline: deadlineActionSchema.default({ action: 'reject' }),
  /** A draft whose final judge score is below this waits for review; judge scores never do when absent. */
  belowScore: z.number().min(0).max(1).optional(),
});
export type ReviewPolicy = z.infer<typeof reviewPolicySchema>;

/** A review policy resolved at the start of a run, group members included, and pinned for its life. */
export const pinnedReviewPolicySchema = z.object({
  group: identifierSchema,
  members: z.array(z.string()),
  always: z.boolean(),
  belowScore: z.number().min(0).max(1).optional(),
  deadlineMs: z.number().int().positive(),
  escalation: z.object({
    group: identifierSchema, members: z.array(z.string()), deadlineMs: z.number().int().positive(),
  }).optional(),
});
export type PinnedReviewPolicy = z.infer<typeof pinnedReviewPolicySchema>;

const noteSchema = z.string().trim().min(1, 'must not be empty').max(2_000, 'must be at most 2000 characters');

/** A reviewer's decision on a run waiting for review. */
export const reviewDecisionSchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), reviewer: identifierSchema, note: noteSchema.optional() }),
  z.strictObject({
    decision: z.literal('reject'), reviewer: identifierSchema, reason: noteSchema, note: noteSchema.optional(),
  }),
  z.strictObject({
    decision: z.literal('edit'), reviewer: identifierSchema, note: noteSchema.optional(),
    /** Replacement answer; it goes through the output gates again before release. */
    text: z.string().trim().min(1, 'must not be empty').max(20_000, 'must be at most 20000 characters'),
  }),
]);
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/** Who decided a reviewed run, when, what and why. */
export const reviewRecordSchema = z.object({
  decision: z.enum(['approve', 'reject', 'edit', 'auto_reject']),
  /** Absent when the deadline decided. */
  reviewer: z.string().optional(),
  /** Group that held the run when it was decided (the escalation group after an escalation). */
  group: z.string(),
  /** ISO time of the decision, from workflow time. */
  decidedAt: z.string(),
  via: z.enum(['update', 'signal', 'deadline']),
  note: z.string().optional(),
  reason: z.string().optional(),
  escalated: z.boolean(),
  /** Edits the output gates stopped before this decision. */
  refusedEdits: z.number().int().nonnegative(),
});
export type ReviewRecord = z.infer<typeof reviewRecordSchema>;

/** What an accepted update decision returns to the reviewer. */
export const reviewOutcomeSchema = z.object({ record: reviewRecordSchema, status: z.string() });
export type ReviewOutcome = z.infer<typeof reviewOutcomeSchema>;

/** Judge scores in [0, 1] of one draft. */
export const judgeScoresSchema = z.object({
  groundedness: z.number().min(0).max(1),
  coverage: z.number().min(0).max(1),
  rubric: z.number().min(0).max(1),
  overall: z.number().min(0).max(1),
});
export type JudgeScores = z.infer<typeof judgeScoresSchema>;

/** What the `reviewState` query returns: everything a reviewer needs to decide. */
export const reviewViewSchema = z.object({
  state: z.enum(['not_in_review', 'pending', 'deciding', 'decided']),
  tenant: z.string(),
  feature: z.string(),
  requestedBy: z.string().optional(),
  group: z.string().optional(),
  /** ISO time after which the deadline action applies. */
  deadline: z.string().optional(),
  escalated: z.boolean(),
  /** Why the run waits for review: gate reasons, a low judge score, or the route's rule. */
  reasons: z.array(z.string()),
  /** The question as the model saw it (PII redacted). */
  question: z.string().optional(),
  draft: z.string().optional(),
  citations: z.array(citationSchema.extend({ passage: z.string() })),
  gateDecisions: z.array(gateDecisionSchema),
  judge: judgeScoresSchema.optional(),
  record: reviewRecordSchema.optional(),
});
export type ReviewView = z.infer<typeof reviewViewSchema>;
