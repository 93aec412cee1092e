import type { AnswerPlan } from '../../contracts/prompts';
import { resolveAnswerPlan, type AnswerPlanSources, type ResolveAnswerPlanInput } from './answer-plan';
import { contentVersion } from './config-version';

/** What the prompt activities read: the worker's loaded prompt library, catalog and gate config. */
export type PromptActivityOptions = AnswerPlanSources;

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
