import type { GateConfig } from '../../contracts/gate-config';
import type { ModelCatalog } from '../../contracts/model-catalog';
import type { AnswerPlan } from '../../contracts/prompts';
import { resolveAnswerPlan, type ResolveAnswerPlanInput } from './answer-plan';
import { contentVersion } from './config-version';
import type { PromptLibrary } from './prompt-library';

export interface PromptActivityOptions {
  /** Validated prompt library (see loadPromptLibraryFromEnvironment). */
  prompts: PromptLibrary;
  /** Validated model catalog: routes with their review and refine policies. */
  modelCatalog: ModelCatalog;
  /** Validated gate configuration. */
  gateConfig: GateConfig;
}

/** Prompt activities: `resolveAnswerPlan`, which an answer run calls once and keeps in its history. */
export function createPromptActivities(options: PromptActivityOptions) {
  // The catalog is fixed for the worker's life, so its version is hashed once.
  const catalogVersion = contentVersion(options.modelCatalog);
  return {
    /** Pins prompt, experiment variants, route, review and refine policies and gate set for one run. */
    async resolveAnswerPlan(input: ResolveAnswerPlanInput): Promise<AnswerPlan> {
      return resolveAnswerPlan(options, input, catalogVersion);
    },
  };
}

export type PromptActivities = ReturnType<typeof createPromptActivities>;
