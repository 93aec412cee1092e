import { createGateActivities } from './gates/activities';
import type { Gate } from './gates/gate';
import { createModelActivities } from './models/activities';
import { createRetrievalActivities, type RetrievalDependencies } from './retrieval/activities';

export interface ActivityDependencies extends RetrievalDependencies {
  inputGates?: readonly Gate[];
}

/** Every activity the orchestration worker registers, bound to its dependencies. */
export function createActivities(dependencies: ActivityDependencies) {
  return {
    ...createGateActivities(dependencies.inputGates),
    ...createRetrievalActivities(dependencies),
    ...createModelActivities(),
  };
}

/** The activity interface workflows proxy (imported as a type only). */
export type SluiceActivities = ReturnType<typeof createActivities>;
