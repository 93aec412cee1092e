import { z } from 'zod';
import { gateSetConfigSchema } from './gate-config';
import { identifierSchema } from './ids';
import { refinePolicySchema } from './refinement';
import { overBudgetPolicySchema } from './budget-policy';
import { pinnedAnswerCachePolicySchema } from './cache';
import { contextPolicySchema, passagePiiPolicySchema, retrievalQueryPolicySchema } from './retrieval';
import { pinnedReviewPolicySchema } from './review';

// Prompts as managed assets: versioned templates kept in files outside the code, A/B
// experiments over their versions, and the plan an answer run resolves once at its start and
// keeps (pinned) for its whole life, however long it waits and whatever changes meanwhile.

const variablePattern = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Names of the `{{variables}}` a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(variablePattern)].map((match) => match[1]!))];
}

/** One version of a prompt: `prompts/<id>/<version>.json`. */
export const promptTemplateSchema = z.strictObject({
  id: identifierSchema,
  version: identifierSchema,
  /** Catalog route its answers use; the request's route wins, then this, then semantic routing. */
  route: z.string().min(1).max(64).optional(),
  /** Every variable the template may use, with what it holds. */
  variables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a plain name'), z.strictObject({
    description: z.string().max(500).optional(),
    required: z.boolean().default(true),
  })),
  system: z.string().min(1),
  template: z.string().min(1),
}).superRefine((prompt, context) => {
  const declared = new Set(Object.keys(prompt.variables));
  for (const [field, text] of [['system', prompt.system], ['template', prompt.template]] as const) {
    for (const name of templateVariables(text)) {
      if (!declared.has(name)) {
        context.addIssue({ code: 'custom', path: [field], message: `uses undeclared variable {{${name}}}` });
      }
    }
  }
  const used = new Set([...templateVariables(prompt.system), ...templateVariables(prompt.template)]);
  for (const name of declared) {
    if (!used.has(name)) {
      context.addIssue({ code: 'custom', path: ['variables', name], message: 'is declared but never used' });
    }
  }
});
export type PromptTemplate = z.infer<typeof promptTemplateSchema>;

/** An A/B experiment over versions of one prompt; a subject always gets the same variant. */
export const experimentSchema = z.strictObject({
  id: identifierSchema,
  prompt: identifierSchema,
  /** Only these tenants take part; every tenant when absent. */
  tenants: z.array(identifierSchema).optional(),
  variants: z.array(z.strictObject({
    name: identifierSchema,
    version: identifierSchema,
    weight: z.number().int().min(1).max(10_000).default(1),
  })).min(2, 'needs at least two variants'),
});
export type Experiment = z.infer<typeof experimentSchema>;

/** `prompts/registry.json`: which prompt each feature uses, each prompt's current version, experiments. */
export const promptRegistrySchema = z.strictObject({
  /** Prompt id per answer feature; `defaultPrompt` for the rest. */
  features: z.record(identifierSchema, identifierSchema).default({}),
  defaultPrompt: identifierSchema.default('grounded-answer'),
  /** The version each prompt id serves outside experiments. */
  current: z.record(identifierSchema, identifierSchema),
  experiments: z.array(experimentSchema).default([]),
});
export type PromptRegistry = z.infer<typeof promptRegistrySchema>;

/** Variable values a template is rendered with. */
export type PromptValues = Record<string, string>;

/** Thrown when a template is rendered without a required variable. */
export class PromptRenderError extends Error {
  override readonly name = 'PromptRenderError';
}

/** Fills a template's `{{variables}}`; a missing required one throws, a missing optional one renders empty. */
export function renderTemplate(prompt: Pick<PromptTemplate, 'variables'>, text: string, values: PromptValues): string {
  return text.replace(variablePattern, (_match, name: string) => {
    const value = values[name];
    if (value !== undefined) return value;
    if (prompt.variables[name]?.required === false) return '';
    throw new PromptRenderError(`prompt variable {{${name}}} has no value`);
  });
}

/** 32-bit FNV-1a of a string's UTF-16 code units: stable across processes, platforms and replays. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The variant a subject gets in an experiment: a weighted bucket of a stable hash of both, so it is sticky. */
export function assignVariant<Variant extends { name: string; weight: number }>(
  experimentId: string, subject: string, variants: readonly Variant[],
): Variant {
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  let bucket = stableHash(`${experimentId}\u0000${subject}`) % total;
  for (const variant of variants) {
    if (bucket < variant.weight) return variant;
    bucket -= variant.weight;
  }
  return variants[variants.length - 1]!;
}

/** Variant name of runs outside any experiment. */
export const noExperimentVariant = 'default';

/**
 * What `resolveAnswerPlan` returns at the start of an answer run and the run keeps in its
 * history: the prompt (every variant's template, so the workflow assigns the variant itself),
 * the route with its review and refinement policies, and the gate set, each with its version.
 */
export const answerPlanSchema = z.object({
  prompt: promptTemplateSchema,
  experiment: z.object({
    id: identifierSchema,
    variants: z.array(z.object({
      name: identifierSchema, weight: z.number().int().positive(), prompt: promptTemplateSchema,
    })),
  }).optional(),
  /** Route for the model call; absent lets semantic routing choose (review and refine then follow `default`). */
  route: z.string().optional(),
  /** Route whose review and refine policies apply. */
  policyRoute: z.string(),
  review: pinnedReviewPolicySchema,
  refine: refinePolicySchema,
  /** The route's `passagePii`; absent in plans pinned before it existed, which then redact. */
  passagePii: passagePiiPolicySchema.optional(),
  /** The route's `retrievalQuery`; absent in plans pinned before it existed, which search the redacted text. */
  retrievalQuery: retrievalQueryPolicySchema.optional(),
  /** The route's `rerank` when on (always, or when uncertain); absent otherwise and in plans pinned before it. */
  rerank: z.union([z.literal(true), z.literal('uncertain')]).optional(),
  /** The route's answer cache; absent when it has none, and in plans pinned before caching existed. */
  cache: pinnedAnswerCachePolicySchema.optional(),
  /** The route's context policy; absent when it has none, and in plans pinned before it existed. */
  context: contextPolicySchema.optional(),
  /** The route's `overBudget`; absent in plans pinned before budgets, which never reserve. */
  overBudget: overBudgetPolicySchema.optional(),
  /** Whether refinement and review judge with models (the route's first model is not extractive). */
  modelJudge: z.boolean(),
  gatePolicy: z.object({ version: z.string(), gates: gateSetConfigSchema }),
  catalogVersion: z.string(),
  /** Current `judge-answer` and `revise-answer` templates, pinned so a long run's refinement keeps them. */
  judgePrompt: promptTemplateSchema.optional(),
  revisePrompt: promptTemplateSchema.optional(),
});
export type AnswerPlan = z.infer<typeof answerPlanSchema>;

/** The versions a run was pinned to, as results and search attributes carry them. */
export const pinnedVersionsSchema = z.object({
  promptId: z.string(),
  promptVersion: z.string(),
  variant: z.string(),
  experiment: z.string().optional(),
  route: z.string(),
  gatePolicyVersion: z.string(),
  catalogVersion: z.string(),
});
export type PinnedVersions = z.infer<typeof pinnedVersionsSchema>;
