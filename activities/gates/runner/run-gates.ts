import { gateDecisionSchema, strictestAction, type GateAction, type GateDecision } from '../../../contracts/gates';
import type { FailurePolicy } from '../../../contracts/gate-config';
import type { GateContext } from '../gate';
import type { RedactingDecision } from '../pii/pii-gate';
import type { RedactionMap } from '../pii/redaction';
import type { ConfiguredGate } from './build-gates';

/** The decision a failed gate turns into under its failure policy. Reasons name the gate, never the text. */
export function failedGateDecision(gate: string, failure: FailurePolicy, cause: string): GateDecision {
  if (failure.mode === 'open') return { gate, action: 'allow', reasons: [`gate failed (${cause}); allowed unchecked by fail-open policy`], scores: {}, unchecked: true };
  return { gate, action: failure.closedAction, reasons: [`gate failed (${cause}); ${failure.closedAction} by fail-closed policy`], scores: {}, unchecked: false };
}

class GateTimeout extends Error {}

/**
 * Runs one gate within its time budget. A throw or a timeout becomes the failure policy's
 * decision; a synchronous gate cannot be pre-empted, so the activity's own timeout bounds it.
 */
export async function runGate(configured: ConfiguredGate, text: string, context: GateContext): Promise<{ decision: GateDecision; redactions?: RedactionMap }> {
  const { gate, failure } = configured;
  let timer: NodeJS.Timeout | undefined;
  try {
    const result: RedactingDecision = await Promise.race([
      Promise.resolve().then(() => gate.check(text, context)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new GateTimeout()), failure.timeoutMs);
      }),
    ]);
    // Parsing strips every field outside the contract, so a redaction map can never ride along.
    return { decision: gateDecisionSchema.parse(result), ...(result.redactions ? { redactions: result.redactions } : {}) };
  } catch (error) {
    const cause = error instanceof GateTimeout ? `timed out after ${failure.timeoutMs} ms` : error instanceof Error ? error.name : 'error';
    return { decision: failedGateDecision(gate.name, failure, cause) };
  } finally {
    clearTimeout(timer);
  }
}

/** Result of the input gate set before the redaction map is sealed. */
export interface InputGateRun {
  action: GateAction;
  decisions: GateDecision[];
  text: string;
  redactions?: RedactionMap;
  intent: string;
}

/** Runs every input gate on the original text, in parallel; the PII gate's redaction gives the text to use. */
export async function runInputGateSet(gates: readonly ConfiguredGate[], text: string, context: GateContext): Promise<InputGateRun> {
  const results = await Promise.all(gates.map((configured) => runGate(configured, text, context)));
  const decisions = results.map((result) => result.decision);
  const redacting = results.find((result) => result.decision.action === 'redact' && result.decision.redactedText !== undefined);
  const intent = decisions.find((decision) => decision.labels?.intent)?.labels?.intent ?? 'general';
  return {
    action: strictestAction(decisions),
    decisions,
    text: redacting?.decision.redactedText ?? text,
    ...(redacting?.redactions ? { redactions: redacting.redactions } : {}),
    intent,
  };
}

/** Runs output gates in order; each sees the text as the previous one left it (repaired, redacted). */
export async function runOutputGateSet(gates: readonly ConfiguredGate[], text: string, context: GateContext): Promise<{ action: GateAction; decisions: GateDecision[]; text: string }> {
  const decisions: GateDecision[] = [];
  let current = text;
  for (const configured of gates) {
    const { decision } = await runGate(configured, current, context);
    decisions.push(decision);
    if (decision.redactedText !== undefined && (decision.action === 'redact' || decision.action === 'allow')) current = decision.redactedText;
  }
  return { action: strictestAction(decisions), decisions, text: current };
}
