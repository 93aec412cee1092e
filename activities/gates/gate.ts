import type { GateDecision } from '../../contracts/gates';

/** Who is asking, so gates can apply per-tenant and per-feature rules. */
export interface GateContext {
  tenant: string;
  feature: string;
}

/** A check on text that returns a decision. Gates are pure and fast; the activity runs them. */
export interface Gate {
  readonly name: string;
  check(text: string, context: GateContext): GateDecision;
}
