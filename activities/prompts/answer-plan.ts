import { z } from 'zod';
import { pinAnswerCachePolicy } from '../../contracts/cache';
import { formatZodError } from '../../contracts/format-error';
import type { GateConfig } from '../../contracts/gate-config';
import { identifierSchema } from '../../contracts/ids';
import { extractiveProvider, findModel, type ModelCatalog, type Route } from '../../contracts/model-catalog';
import type { AnswerPlan, PromptTemplate } from '../../contracts/prompts';
import type { PinnedReviewPolicy, ReviewPolicy } from '../../contracts/review';
import { invalidInput } from '../failures';
import { contentVersion } from './config-version';
import { judgePromptId, revisePromptId, type PromptLibrary } from './prompt-library';

// Resolves, once at the start of an answer run, everything the run keeps for its whole life:
// prompt and experiment variants, route, review and refine policies, gate set, versions.

/** What an answer plan is resolved from: the worker's validated configuration. */
/** What a plan is resolved from: the worker's validated prompt library, model catalog and gate config. */
export interface AnswerPlanSources {
  prompts: PromptLibrary;
  /** Routes with their review and refine policies. */
  modelCatalog: ModelCatalog;
  gateConfig: GateConfig;
}

export const resolveAnswerPlanInputSchema = z.object({
  tenant: identifierSchema,
  feature: identifierSchema,
  /** A catalog route the request asks for; wins over the prompt's own route. */
  route: z.string().min(1).optional(),
});
export type ResolveAnswerPlanInput = z.infer<typeof resolveAnswerPlanInputSchema>;

/** The current templates of the refinement loop's model judge and reviser. */
export function auxiliaryPrompts(library: PromptLibrary): { judge: PromptTemplate; revise: PromptTemplate } {
  return { judge: library.current(judgePromptId), revise: library.current(revisePromptId) };
}

/** A route's review policy with its groups' members and deadlines resolved from the catalog. */
export function pinReviewPolicy(catalog: ModelCatalog, policy: ReviewPolicy): PinnedReviewPolicy {
  const members = (group: string): string[] => [...(catalog.reviewGroups[group] ?? [])];
  const { onDeadline } = policy;
  return {
    group: policy.group,
    members: members(policy.group),
    always: policy.always,
    ...(policy.belowScore !== undefined ? { belowScore: policy.belowScore } : {}),
    deadlineMs: policy.deadline,
    ...(onDeadline.action === 'escalate'
      ? { escalation: { group: onDeadline.group, members: members(onDeadline.group), deadlineMs: onDeadline.deadline } }
      : {}),
  };
}

function experimentPlan(library: PromptLibrary, promptId: string, tenant: string): AnswerPlan['experiment'] {
  const experiment = library.experimentFor(promptId, tenant);
  if (!experiment) return undefined;
  const variants = experiment.variants.map((variant) => ({
    name: variant.name, weight: variant.weight, prompt: library.template(promptId, variant.version),
  }));
  return { id: experiment.id, variants };
}

// GateConfig.resolve returns one cached object per tenant and feature for the worker's life, so
// each gate set is hashed once, not on every answer.
const gateSetVersions = new WeakMap<object, string>();
function gateSetVersion(gates: object): string {
  let version = gateSetVersions.get(gates);
  if (version === undefined) gateSetVersions.set(gates, (version = contentVersion(gates)));
  return version;
}

/**
 * The plan of one answer run. An unknown route the request names is bad input (non-retryable);
 * a prompt's unknown route, like no route at all, leaves review and refine to `default`.
 */
export function resolveAnswerPlan(
  sources: AnswerPlanSources, input: ResolveAnswerPlanInput, catalogVersion: string,
): AnswerPlan {
  const parsed = resolveAnswerPlanInputSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(`invalid answer plan request: ${formatZodError(parsed.error)}`);
  const { tenant, feature, route: requested } = parsed.data;
  const { prompts, modelCatalog: catalog, gateConfig } = sources;
  if (requested !== undefined && !catalog.routes[requested]) {
    throw invalidInput(`unknown route ${requested}; the catalog has ${Object.keys(catalog.routes).join(', ')}`);
  }
  const promptId = prompts.promptIdFor(feature);
  const prompt = prompts.current(promptId);
  const route = requested ?? prompt.route;
  const policyRoute = route !== undefined && catalog.routes[route] ? route : 'default';
  // The catalog schema guarantees a `default` route and that every chain names known models.
  const policy: Route = catalog.routes[policyRoute]!;
  const firstModel = findModel(catalog, policy.chain[0]!);
  const gates = gateConfig.resolve(tenant, feature);
  const experiment = experimentPlan(prompts, promptId, tenant);
  const { judge, revise } = auxiliaryPrompts(prompts);
  return {
    prompt,
    ...(experiment ? { experiment } : {}),
    ...(route !== undefined ? { route } : {}),
    policyRoute,
    review: pinReviewPolicy(catalog, policy.review),
    refine: policy.refine,
    passagePii: policy.passagePii,
    retrievalQuery: policy.retrievalQuery,
    ...(policy.rerank ? { rerank: policy.rerank } : {}),
    ...(policy.cache ? { cache: pinAnswerCachePolicy(policy.cache) } : {}),
    ...(policy.context ? { context: policy.context } : {}),
    overBudget: policy.overBudget,
    modelJudge: firstModel !== undefined && firstModel.provider !== extractiveProvider,
    gatePolicy: { version: gateSetVersion(gates), gates },
    catalogVersion,
    judgePrompt: judge,
    revisePrompt: revise,
  };
}
