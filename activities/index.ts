import { GateConfig } from '../contracts/gate-config';
import type { AnswerCacheStore } from './cache/answer-cache-store';
import { createCacheActivities } from './cache/activities';
import { createBudgetActivities } from './cost/budget-activities';
import { createFeedbackActivities } from './feedback/activities';
import type { FeedbackStore } from './feedback/feedback-store';
import { createGateActivities, type GateActivityOptions } from './gates/activities';
import type { Gate } from './gates/gate';
import { createModelActivities, type ModelActivityDependencies } from './models/activities';
import { loadModelCatalog } from './models/load-catalog';
import { createPromptActivities } from './prompts/activities';
import { loadPromptLibraryFromEnvironment, type PromptLibrary } from './prompts/prompt-library';
import { createRetrievalActivities, type RetrievalDependencies } from './retrieval/activities';
import { createReviewActivities } from './review/activities';

export interface ActivityDependencies extends RetrievalDependencies, ModelActivityDependencies {
  inputGates?: readonly Gate[];
  /** Gate configuration, redaction sealer, output schemas, audit sink and the client backtests read with. */
  gates?: GateActivityOptions;
  /** Versioned prompt templates and experiments. @default the folder named by SLUICE_PROMPTS_DIR, else prompts/ */
  prompts?: PromptLibrary;
  /** Where users' ratings of answers are kept (linked through the gates' Temporal client). */
  feedbackStore?: FeedbackStore;
  /** Answers reused for repeated and paraphrased questions; without one the cache always misses. */
  answerCache?: AnswerCacheStore;
}

/** Every activity the orchestration worker registers, bound to its dependencies. */
export function createActivities(dependencies: ActivityDependencies) {
  // One catalog and one gate config for every activity, so a plan's pinned versions describe what runs.
  const modelCatalog = dependencies.modelCatalog ?? loadModelCatalog(process.env);
  const gateConfig = dependencies.gates?.config ?? new GateConfig({});
  const prompts = dependencies.prompts ?? loadPromptLibraryFromEnvironment(process.env);
  return {
    ...createGateActivities({
      ...dependencies.gates, config: gateConfig,
      ...(dependencies.inputGates ? { inputGates: dependencies.inputGates } : {}),
    }),
    ...createRetrievalActivities(dependencies),
    ...createModelActivities({ ...dependencies, modelCatalog }),
    ...createPromptActivities({ prompts, modelCatalog, gateConfig }),
    ...createReviewActivities(),
    ...createCacheActivities({
      embedder: dependencies.embedder,
      ...(dependencies.answerCache ? { answerCache: dependencies.answerCache } : {}),
    }),
    ...createFeedbackActivities({
      ...(dependencies.gates?.client ? { client: dependencies.gates.client } : {}),
      ...(dependencies.feedbackStore ? { store: dependencies.feedbackStore } : {}),
    }),
    ...createBudgetActivities(),
  };
}

/** The activity interface workflows proxy (imported as a type only). */
export type SluiceActivities = ReturnType<typeof createActivities>;
