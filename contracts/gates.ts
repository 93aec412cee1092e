import { z } from 'zod';

/** What a gate decided about a piece of text. */
export const gateActionSchema = z.enum(['allow', 'redact', 'block', 'review']);
export type GateAction = z.infer<typeof gateActionSchema>;

export const gateDecisionSchema = z.object({
  gate: z.string().min(1),
  action: gateActionSchema,
  /** Human-readable reasons; never raw PII. */
  reasons: z.array(z.string()),
  /** Named scores in [0, 1], e.g. { injection: 0.92 }. */
  scores: z.record(z.string(), z.number()),
  /** The transformed text when action is `redact`. */
  redactedText: z.string().optional(),
  /** True when the gate could not run and the failure policy let the text through. */
  unchecked: z.boolean().default(false),
});
export type GateDecision = z.infer<typeof gateDecisionSchema>;

const actionSeverity: Record<GateAction, number> = { allow: 0, redact: 1, review: 2, block: 3 };

/** The strictest action among decisions: block > review > redact > allow. */
export function strictestAction(decisions: readonly GateDecision[]): GateAction {
  return decisions.reduce<GateAction>(
    (strictest, decision) => (actionSeverity[decision.action] > actionSeverity[strictest] ? decision.action : strictest),
    'allow',
  );
}
