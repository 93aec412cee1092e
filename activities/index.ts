import { createGateActivities, type GateActivityOptions } from './gates/activities';
import type { Gate } from './gates/gate';
import { createModelActivities, type ModelActivityDependencies } from './models/activities';
import { createRetrievalActivities, type RetrievalDependencies } from './retrieval/activities';

export interface ActivityDependencies extends RetrievalDependencies, ModelActivityDependencies {
  inputGates?: readonly Gate[];
  /** Gate configuration, redaction sealer, output schemas, audit sink and the client backtests read with. */
  gates?: GateActivityOptions;
}

/** Every activity the orchestration worker registers, bound to its dependencies. */
export function createActivities(dependencies: ActivityDependencies) {
  return {
    ...createGateActivities({ ...dependencies.gates, ...(dependencies.inputGates ? { inputGates: dependencies.inputGates } : {}) }),
    ...createRetrievalActivities(dependencies),
    ...createModelActivities(dependencies),
  };
}

/** The activity interface workflows proxy (imported as a type only). */
export type SluiceActivities = ReturnType<typeof createActivities>;
