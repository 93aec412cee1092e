import { gateNames, type GateDecision } from '../contracts/gates';
import type { AnswerPlan } from '../contracts/prompts';
import type { PackedContext, PassageRedaction } from '../contracts/retrieval';

// Documents carry PII of their own (a customer's card on an invoice). The route decides whether
// retrieved passages are redacted; the retrieval activity does it, so raw values never reach
// history, the model or the citations. The types are those the answer's pii-leak gate removes.

/** What `retrieveContext` removes from passages under the pinned plan; undefined keeps them whole. */
export function passageRedaction(plan: AnswerPlan): PassageRedaction | undefined {
  const leak = plan.gatePolicy.gates.output.piiLeak;
  // Plans pinned before routes had `passagePii` leave it out; they redact, the safe default.
  if (plan.passagePii === 'keep' || !leak.enabled || leak.types.length === 0) return undefined;
  // Plans pinned before `publicValues` existed have none; an activity input changes, no command.
  const publicValues = leak.publicValues ?? [];
  return { types: leak.types, defaultRegion: leak.defaultRegion, ...(publicValues.length > 0 ? { publicValues } : {}) };
}

/** The answer's record of what retrieval redacted (counts per type, never values); none when nothing was. */
export function passagePiiDecisions(context: Pick<PackedContext, 'redactedPii'>): GateDecision[] {
  const counts = Object.entries(context.redactedPii ?? {});
  if (counts.length === 0) return [];
  return [{
    gate: gateNames.passagePii, action: 'redact', scores: { leak: 1 }, unchecked: false,
    reasons: counts.map(([type, count]) => `retrieved passages contained ${count} ${type}, redacted before the model`),
  }];
}
