import type { GateDecision } from '../../contracts/gates';
import type { Gate, GateContext } from './gate';
import { InjectionGate } from './injection-gate';

/** Gate activities; the set of gates is injected so tests and tenants can vary it. */
export function createGateActivities(inputGates: readonly Gate[] = [new InjectionGate()]) {
  return {
    /** Runs every input gate on the user's text. */
    async checkInput(input: GateContext & { text: string }): Promise<GateDecision[]> {
      return inputGates.map((gate) => gate.check(input.text, { tenant: input.tenant, feature: input.feature }));
    },
  };
}
