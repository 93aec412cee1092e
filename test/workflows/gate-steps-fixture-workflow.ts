// A test-only workflow that drives the gate steps the answer workflow calls, so they are tested
// as they run in production: local activities inside the workflow sandbox, recorded as markers.
import { setCurrentDetails } from '@temporalio/workflow';
import type { GateDecision, InputGateResult, OutputGateResult } from '../../contracts/gates';
import { dropInjectedPassages, restoreRedactions, runInputGates, runOutputGates } from '../../workflows/gate-steps';

export interface GateStepsInput {
  tenant: string;
  requestId: string;
  question: string;
  /** What the "model" answers; placeholders from the redacted question may appear in it. */
  answer: string;
  evidence: { marker: number; text: string }[];
  passages: { id: string; text: string }[];
  /** Restores as another tenant, to show a sealed map cannot be opened elsewhere. */
  restoreAsTenant?: string;
}

export async function gateStepsWorkflow(input: GateStepsInput): Promise<{ inputResult: InputGateResult; keptPassages: string[]; passageDecisions: GateDecision[]; output: OutputGateResult; final: { text: string; restored: boolean } }> {
  setCurrentDetails('gate steps');
  const inputResult = await runInputGates({ tenant: input.tenant, feature: 'qa', requestId: input.requestId, text: input.question });
  const kept = await dropInjectedPassages({ tenant: input.tenant, feature: 'qa', passages: input.passages });
  const output = await runOutputGates({ tenant: input.tenant, feature: 'qa', text: input.answer, evidence: input.evidence });
  const final = await restoreRedactions({ tenant: input.restoreAsTenant ?? input.tenant, requestId: input.requestId, text: output.text, sealed: inputResult.sealedRedactions });
  return { inputResult, keptPassages: kept.passages.map((passage) => passage.id), passageDecisions: kept.decisions, output, final };
}
