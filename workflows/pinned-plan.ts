import { ApplicationFailure, proxyLocalActivities } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { AnswerRequest } from '../contracts/answer';
import { errorTypes } from '../contracts/error-types';
import type { ChatMessage } from '../contracts/models';
import {
  assignVariant, noExperimentVariant, PromptRenderError, renderTemplate,
  type AnswerPlan, type PinnedVersions, type PromptTemplate, type PromptValues,
} from '../contracts/prompts';
import { gateLocalPreset } from './activity-presets';

// The plan an answer run resolves once, at its start, and keeps in its history: the prompt and
// A/B variant, the route with its review and refinement policies, the gate set. Everything after
// reads the plan, never today's files, so a run that waits a week finishes on what it began with.

// A local activity: it reads what the worker loaded at start-up, and its result lands in history as a marker.
const planning = proxyLocalActivities<SluiceActivities>({
  ...gateLocalPreset, summary: 'pin prompt, route and policies',
});

/** A pinned plan with the prompt the run's variant uses. */
export interface PinnedPlan {
  plan: AnswerPlan;
  prompt: PromptTemplate;
  pinned: PinnedVersions;
}

/**
 * Resolves the plan (an activity: it reads the worker's files) and assigns the A/B variant here,
 * from a stable hash of experiment and subject: the user when known, so they keep their variant.
 */
export async function pinAnswerPlan(request: AnswerRequest): Promise<PinnedPlan> {
  const plan = await planning.resolveAnswerPlan({
    tenant: request.tenant, feature: request.feature, route: request.route,
  });
  const subject = request.userId ?? request.requestId;
  type Variant = NonNullable<AnswerPlan['experiment']>['variants'][number];
  const variant = plan.experiment
    ? assignVariant<Variant>(plan.experiment.id, subject, plan.experiment.variants)
    : undefined;
  const prompt = variant?.prompt ?? plan.prompt;
  return {
    plan,
    prompt,
    pinned: {
      promptId: prompt.id, promptVersion: prompt.version, variant: variant?.name ?? noExperimentVariant,
      ...(plan.experiment ? { experiment: plan.experiment.id } : {}),
      route: plan.route ?? plan.policyRoute, gatePolicyVersion: plan.gatePolicy.version,
      catalogVersion: plan.catalogVersion,
    },
  };
}

/** Passages numbered for `[n]` citation markers (contracts/citations.ts). */
export { numberedPassages } from '../contracts/citations';

/**
 * A prompt's system and user messages. A template needing a value the pipeline does not have
 * fails the run with InvalidInput (not a workflow-task retry loop): the prompt file is wrong.
 */
export function promptMessages(prompt: PromptTemplate, values: PromptValues): ChatMessage[] {
  try {
    return [
      { role: 'system', content: renderTemplate(prompt, prompt.system, values) },
      { role: 'user', content: renderTemplate(prompt, prompt.template, values) },
    ];
  } catch (error) {
    if (!(error instanceof PromptRenderError)) throw error;
    throw ApplicationFailure.create({
      type: errorTypes.invalidInput, nonRetryable: true,
      message: `prompt ${prompt.id}@${prompt.version}: ${error.message}`,
    });
  }
}
