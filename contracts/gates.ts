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
  /** The transformed text: redacted (action `redact`) or, for structured output, repaired. */
  redactedText: z.string().optional(),
  /** True when the gate could not run and the failure policy let the text through. */
  unchecked: z.boolean().default(false),
  /** Named labels, e.g. { intent: 'billing' } for the router; never raw PII. */
  labels: z.record(z.string(), z.string()).optional(),
});
export type GateDecision = z.infer<typeof gateDecisionSchema>;

const actionSeverity: Record<GateAction, number> = { allow: 0, redact: 1, review: 2, block: 3 };

/** The strictest action among decisions: block > review > redact > allow. */
export function strictestAction(decisions: readonly GateDecision[]): GateAction {
  return decisions.reduce<GateAction>(
    (strictest, decision) =>
      (actionSeverity[decision.action] > actionSeverity[strictest] ? decision.action : strictest),
    'allow',
  );
}

/** Where a gate runs: on the user's text before the model, or on the answer after it. */
export const gateStageSchema = z.enum(['input', 'output']);
export type GateStage = z.infer<typeof gateStageSchema>;

/** Names of the gates Sluice ships; configuration refers to gates by these names. */
export const gateNames = {
  injection: 'prompt-injection',
  /** The injection gate run on retrieved passages; a flagged passage is dropped from the context. */
  passageInjection: 'passage-injection',
  /** Not a gate of its own: records PII the retrieval step removed from passages (the route's `passagePii`). */
  passagePii: 'passage-pii',
  pii: 'pii',
  policy: 'policy',
  piiLeak: 'pii-leak',
  groundedness: 'groundedness',
  schema: 'structured-output',
  safety: 'safety',
  /** Not a gate: records that the user's redacted values could not be put back into the answer. */
  redactionRestore: 'redaction-restore',
} as const;
export type GateName = (typeof gateNames)[keyof typeof gateNames];

/** PII entity types the PII gates detect; placeholders carry the type, e.g. `[EMAIL_1]`. */
export const piiTypeSchema = z.enum([
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'IP_ADDRESS',
  'SECRET',
  'PERSON',
  /** Optional (off by default): places a GeoNames gazetteer knows, activities/gates/pii/place-names.ts. */
  'LOCATION',
  /** Optional (off by default): firms by their names' shape and cues, activities/gates/pii/organisation-names.ts. */
  'ORGANIZATION',
]);
export type PiiType = z.infer<typeof piiTypeSchema>;

/**
 * A placeholder→value map sealed with AES-256-GCM under a key only workers hold. It is the
 * only form in which redacted values may enter workflow history; all fields are base64.
 */
export const sealedRedactionsSchema = z.object({
  version: z.literal(1),
  /** Identifies the key so a rotated key fails clearly instead of decrypting garbage. */
  keyId: z.string(),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});
export type SealedRedactions = z.infer<typeof sealedRedactionsSchema>;

/** One cited passage an output gate checks the answer against. */
export const gateEvidenceSchema = z.object({ marker: z.number().int().positive(), text: z.string() });
export type GateEvidence = z.infer<typeof gateEvidenceSchema>;

/** What the input gate activity returns: every decision, the overall action and the text to use. */
export const inputGateResultSchema = z.object({
  action: gateActionSchema,
  decisions: z.array(gateDecisionSchema),
  /** The text after redaction (equal to the input when nothing was redacted). */
  text: z.string(),
  /** Present when something was redacted; opened only by `restoreRedactions` on a worker. */
  sealedRedactions: sealedRedactionsSchema.optional(),
  /** Intent label for the router, from the policy gate; `general` when none matched. */
  intent: z.string(),
});
export type InputGateResult = z.infer<typeof inputGateResultSchema>;

/** What the output gate activity returns; `text` is the answer after any output redaction or repair. */
export const outputGateResultSchema = z.object({
  action: gateActionSchema,
  decisions: z.array(gateDecisionSchema),
  text: z.string(),
});
export type OutputGateResult = z.infer<typeof outputGateResultSchema>;
