import type { GateDecision, GateEvidence } from '../../contracts/gates';

/** Who is asking and about what, so gates can apply per-tenant and per-feature rules. */
export interface GateContext {
  tenant: string;
  feature: string;
  /** Whose text this is: the user's own (default) or a retrieved document (indirect injection). */
  source?: 'user' | 'document';
  /** Passages the answer cites, for output gates such as groundedness. */
  evidence?: readonly GateEvidence[];
}

/**
 * A check on text that returns a decision. Gates hold no per-request state; slow ones may be
 * async, and the runner bounds every gate with its time budget and failure policy.
 */
export interface Gate {
  readonly name: string;
  check(text: string, context: GateContext): GateDecision | Promise<GateDecision>;
}

/** Maps a score to an action with two thresholds: ≥ block blocks, ≥ review reviews. */
export function thresholdAction(score: number, thresholds: { reviewThreshold: number; blockThreshold: number }): 'allow' | 'review' | 'block' {
  if (score >= thresholds.blockThreshold) return 'block';
  if (score >= thresholds.reviewThreshold) return 'review';
  return 'allow';
}

/** Rounds a score for decisions, so recorded histories stay small and readable. */
export const roundScore = (score: number): number => Math.round(score * 1000) / 1000;
