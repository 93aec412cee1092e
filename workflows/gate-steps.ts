import {
  ActivityFailure, ApplicationFailure, isCancellation, proxyLocalActivities, TemporalFailure,
} from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import {
  gateNames, type GateDecision, type GateEvidence, type InputGateResult, type OutputGateResult, type SealedRedactions,
} from '../contracts/gates';
import type { GateSetConfig } from '../contracts/gate-config';
import { gateLocalPreset } from './activity-presets';

// Deterministic helpers the answer workflow calls around its model step. Gates are cheap CPU
// work, so they run as local activities. When a gate activity fails for good (worker lost,
// retries spent), the workflow fails closed: nothing unchecked reaches a model or a user.

const gates = proxyLocalActivities<SluiceActivities>(gateLocalPreset);

/**
 * True for a gate activity's final failure: an ActivityFailure, or for local activities the
 * ApplicationFailure or TimeoutFailure itself. Cancellation and bugs in workflow code propagate.
 */
function isGateFailure(error: unknown): boolean {
  return error instanceof TemporalFailure && !isCancellation(error);
}

function failedClosed(gate: string, stage: string): GateDecision {
  return {
    gate,
    action: 'block',
    reasons: [`${stage} gates could not run; blocked by the fail-closed default`],
    scores: {},
    unchecked: false,
  };
}

/** Input gates on the user's text: the overall action, decisions, redacted text, sealed map and intent. */
export async function runInputGates(
  input: { tenant: string; feature: string; requestId: string; text: string; gateSet?: GateSetConfig },
): Promise<InputGateResult> {
  try {
    return await gates.runInputGates(input);
  } catch (error) {
    if (!isGateFailure(error)) throw error;
    return { action: 'block', decisions: [failedClosed('input-gates', 'input')], text: input.text, intent: 'general' };
  }
}

/** Evidence for output gates (contracts/citations.ts). */
export { evidenceFromCitations } from '../contracts/citations';

/** Output gates on the model's answer (before redactions are restored, so user PII is never scanned as a leak). */
export async function runOutputGates(
  input: { tenant: string; feature: string; text: string; evidence: GateEvidence[]; gateSet?: GateSetConfig },
): Promise<OutputGateResult> {
  try {
    return await gates.runOutputGates(input);
  } catch (error) {
    if (!isGateFailure(error)) throw error;
    return { action: 'block', decisions: [failedClosed('output-gates', 'output')], text: input.text };
  }
}

/** Drops retrieved passages that carry an indirect injection; fails closed by dropping them all. */
export async function dropInjectedPassages<Passage extends { id: string; text: string }>(
  input: { tenant: string; feature: string; passages: Passage[]; gateSet?: GateSetConfig },
): Promise<{ passages: Passage[]; decisions: GateDecision[] }> {
  if (input.passages.length === 0) return { passages: [], decisions: [] };
  try {
    const scan = await gates.scanRetrievedPassages({
      tenant: input.tenant, feature: input.feature, passages: input.passages.map(({ id, text }) => ({ id, text })),
      ...(input.gateSet ? { gateSet: input.gateSet } : {}),
    });
    const flagged = new Set(scan.flaggedIds);
    return { passages: input.passages.filter((passage) => !flagged.has(passage.id)), decisions: scan.decisions };
  } catch (error) {
    if (!isGateFailure(error)) throw error;
    return { passages: [], decisions: [failedClosed('passage-scan', 'passage')] };
  }
}

/**
 * The outcome of restoring redactions: restored, nothing to restore, or `failure` saying why a
 * sealed map could not be opened.
 */
export interface RestoreOutcome {
  text: string;
  restored: boolean;
  /** Present when a sealed map could not be opened: the decision that says why, for the answer's record. */
  unrestored?: GateDecision;
}

/**
 * Puts the user's redacted values back into the final answer. Without a sealed map there is
 * nothing to restore; if opening fails the answer keeps its placeholders (never raw PII) and
 * `unrestored` records why, so the caller does not pass it off as a clean answer.
 */
export async function restoreRedactions(
  input: { tenant: string; requestId: string; text: string; sealed?: SealedRedactions },
): Promise<RestoreOutcome> {
  if (!input.sealed) return { text: input.text, restored: false };
  try {
    return {
      text: await gates.restoreRedactions({
        tenant: input.tenant,
        requestId: input.requestId,
        text: input.text,
        sealed: input.sealed,
      }),
      restored: true,
    };
  } catch (error) {
    if (!isGateFailure(error)) throw error;
    // A local activity's failure may come wrapped (ActivityFailure) or bare; the cause names the reason.
    const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
    const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
    const failure = `${type}${cause instanceof Error ? cause.message : String(cause)}`;
    return { text: input.text, restored: false, unrestored: unrestoredDecision(failure) };
  }
}

/** The record of a failed restore, kept with the gate decisions so the reason travels with the answer. */
function unrestoredDecision(failure: string): GateDecision {
  return {
    gate: gateNames.redactionRestore, action: 'redact', scores: {}, unchecked: true,
    reasons: [`the user's redacted values could not be put back (${failure}); the answer keeps their placeholders`],
  };
}
