import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { formatZodError } from '../../contracts/format-error';
import { projectRoot } from '../../temporal-config/project-root';
import {
  promptRegistrySchema, promptTemplateSchema,
  type Experiment, type PromptRegistry, type PromptTemplate,
} from '../../contracts/prompts';

// The prompt library: `registry.json` and one `<id>/<version>.json` per template version, read
// and cross-checked once at worker start-up, so a typo stops the worker instead of a run.

/** Environment variable naming the prompt library folder. */
export const promptsFolderVariable = 'SLUICE_PROMPTS_DIR';

/** The library shipped with Sluice, at the repository's `prompts/`. */
export const defaultPromptsFolder = join(projectRoot, 'prompts');

/** Prompt the refinement loop's model judge uses. */
export const judgePromptId = 'judge-answer';
/** Prompt the refinement loop's model reviser uses. */
export const revisePromptId = 'revise-answer';

const registryFile = 'registry.json';

/** Thrown at start-up for an unreadable or invalid library; the one-line message names the file and field. */
export class PromptLibraryError extends Error {
  override readonly name = 'PromptLibraryError';
}

/** Where a template version lives inside the library folder. */
export const templateFile = (id: string, version: string): string => `${id}/${version}.json`;

type Fail = (field: string, message: string) => never;

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

/** Validated templates and registry, with the lookups answer runs need. */
export class PromptLibrary {
  private readonly templates = new Map<string, PromptTemplate>();

  /** Cross-checks the registry against the templates; throws PromptLibraryError naming the field. */
  constructor(readonly registry: PromptRegistry, templates: readonly PromptTemplate[]) {
    for (const template of templates) this.templates.set(templateFile(template.id, template.version), template);
    const fail: Fail = (field, message) => {
      throw new PromptLibraryError(`${registryFile}: ${field}: ${message}`);
    };
    for (const [id, version] of Object.entries(registry.current)) {
      if (!this.has(id, version)) fail(`current.${id}`, `version ${version} has no file ${templateFile(id, version)}`);
    }
    for (const id of [judgePromptId, revisePromptId]) {
      if (!registry.current[id]) fail('current', `must name a current version of ${id} (the refinement loop uses it)`);
    }
    const defaultPrompt = registry.defaultPrompt;
    if (!registry.current[defaultPrompt]) fail('defaultPrompt', `${defaultPrompt} has no current version`);
    for (const [feature, id] of Object.entries(registry.features)) {
      if (!registry.current[id]) fail(`features.${feature}`, `${id} has no current version`);
    }
    registry.experiments.forEach((experiment, index) => this.checkExperiment(experiment, index, fail));
  }

  private checkExperiment(experiment: Experiment, index: number, fail: Fail): void {
    const field = `experiments.${index}`;
    const names = new Set<string>();
    experiment.variants.forEach((variant, position) => {
      if (names.has(variant.name)) fail(`${field}.variants.${position}.name`, `duplicate variant ${variant.name}`);
      names.add(variant.name);
      if (!this.has(experiment.prompt, variant.version)) {
        const file = templateFile(experiment.prompt, variant.version);
        fail(`${field}.variants.${position}.version`, `version ${variant.version} has no file ${file}`);
      }
    });
    // A tenant in two experiments on one prompt would make its variant depend on their order.
    this.registry.experiments.slice(0, index).forEach((earlier) => {
      if (earlier.id === experiment.id) fail(`${field}.id`, `duplicate experiment ${experiment.id}`);
      const shared = (tenants: string[]): boolean => tenants.some((tenant) => experiment.tenants?.includes(tenant));
      const everyone = !earlier.tenants || !experiment.tenants;
      const overlap = earlier.prompt === experiment.prompt && (everyone || shared(earlier.tenants ?? []));
      if (overlap) fail(`${field}.tenants`, `overlaps experiment ${earlier.id} on prompt ${experiment.prompt}`);
    });
  }

  private has(id: string, version: string): boolean {
    return this.templates.has(templateFile(id, version));
  }

  /** One version of a prompt; throws PromptLibraryError when the library lacks it. */
  template(id: string, version: string): PromptTemplate {
    const template = this.templates.get(templateFile(id, version));
    if (!template) throw new PromptLibraryError(`no prompt ${templateFile(id, version)} in the library`);
    return template;
  }

  /** The version of a prompt served outside experiments. */
  current(id: string): PromptTemplate {
    const version = this.registry.current[id];
    if (!version) throw new PromptLibraryError(`${registryFile}: current: no current version of ${id}`);
    return this.template(id, version);
  }

  /** The experiment a tenant takes part in for a prompt, if any. */
  experimentFor(promptId: string, tenant: string): Experiment | undefined {
    return this.registry.experiments.find((experiment) =>
      experiment.prompt === promptId && (!experiment.tenants || experiment.tenants.includes(tenant)));
  }

  /** The prompt id an answer feature uses. */
  promptIdFor(feature: string): string {
    return this.registry.features[feature] ?? this.registry.defaultPrompt;
  }
}

function readJson(folder: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(join(folder, file), 'utf8');
  } catch (error) {
    throw new PromptLibraryError(`${file}: cannot read (${oneLine((error as Error).message)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PromptLibraryError(`${file}: not valid JSON (${oneLine((error as Error).message)})`);
  }
}

function parseFile<Schema extends z.ZodType>(schema: Schema, raw: unknown, file: string): z.infer<Schema> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new PromptLibraryError(`${file}: ${oneLine(formatZodError(parsed.error))}`);
  return parsed.data;
}

function readTemplate(folder: string, file: string, id: string, version: string): PromptTemplate {
  const template = parseFile(promptTemplateSchema, readJson(folder, file), file);
  if (template.id !== id) throw new PromptLibraryError(`${file}: id: is ${template.id} but the file lies under ${id}/`);
  if (template.version !== version) {
    throw new PromptLibraryError(`${file}: version: is ${template.version} but the file is named ${version}.json`);
  }
  return template;
}

/** Reads and validates a library folder: `registry.json` and every `<id>/<version>.json`. */
export function loadPromptLibrary(folder: string): PromptLibrary {
  try {
    const registry = parseFile(promptRegistrySchema, readJson(folder, registryFile), registryFile);
    const templates: PromptTemplate[] = [];
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      for (const file of readdirSync(join(folder, entry.name)).filter((name) => name.endsWith('.json')).sort()) {
        templates.push(readTemplate(folder, `${entry.name}/${file}`, entry.name, file.slice(0, -'.json'.length)));
      }
    }
    return new PromptLibrary(registry, templates);
  } catch (error) {
    if (error instanceof PromptLibraryError) throw new PromptLibraryError(`prompt library ${folder}: ${error.message}`);
    throw new PromptLibraryError(`prompt library ${folder}: ${oneLine((error as Error).message)}`);
  }
}

/** The library in the folder named by `SLUICE_PROMPTS_DIR`, or the shipped one when unset. */
export function loadPromptLibraryFromEnvironment(environment: Record<string, string | undefined>): PromptLibrary {
  return loadPromptLibrary(environment[promptsFolderVariable] || defaultPromptsFolder);
}
