import { ApplicationFailure } from '@temporalio/common';
import { createPromptActivities } from '../../../../activities/prompts/activities';
import { auxiliaryPrompts } from '../../../../activities/prompts/answer-plan';
import { contentVersion } from '../../../../activities/prompts/config-version';
import { loadPromptLibrary, PromptLibrary } from '../../../../activities/prompts/prompt-library';
import { GateConfig } from '../../../../contracts/gate-config';
import { modelCatalogSchema, offlineCatalog, type ModelCatalogInput } from '../../../../contracts/model-catalog';
import { answerPlanSchema } from '../../../../contracts/prompts';

const shipped = loadPromptLibrary(`${__dirname}/../../../../prompts`);
const grounded = shipped.current('grounded-answer');

// A library with a routed prompt for `support` and an experiment for tenant acme.
const library = new PromptLibrary(
  {
    ...shipped.registry,
    features: { support: 'support-answer' },
    current: { ...shipped.registry.current, 'support-answer': 'support-v1' },
    experiments: [{
      id: 'terse', prompt: 'grounded-answer', tenants: ['acme'],
      variants: [
        { name: 'control', version: 'grounded-v1', weight: 1 },
        { name: 'terse', version: 'grounded-v2', weight: 3 },
      ],
    }],
  },
  [
    grounded, shipped.current('judge-answer'), shipped.current('revise-answer'),
    { ...grounded, version: 'grounded-v2', system: 'Answer tersely from the numbered passages.' },
    { ...grounded, id: 'support-answer', version: 'support-v1', route: 'support' },
  ],
);

const catalogInput: ModelCatalogInput = {
  providers: { openai: { kind: 'openai' } },
  models: [
    { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000 },
    { id: 'gpt', provider: 'openai', tier: 'large', contextWindow: 128_000 },
  ],
  reviewGroups: { reviewers: ['*'], support: ['ann', 'bob'], leads: ['lee'] },
  routes: {
    default: { chain: ['extractive'] },
    support: {
      chain: ['gpt', 'extractive'],
      review: {
        group: 'support', deadline: '48h', belowScore: 0.4,
        onDeadline: { action: 'escalate', group: 'leads', deadline: '2h' },
      },
      refine: { minScore: 0.7, maxIterations: 3, rubric: [{ criterion: 'Polite', keywords: ['please'] }] },
    },
  },
};
const catalog = modelCatalogSchema.parse(catalogInput);
const gateConfig = new GateConfig({});
const activities = createPromptActivities({ prompts: library, modelCatalog: catalog, gateConfig });

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('resolveAnswerPlan', () => {
  it('pins the current prompt, the default policies and the versions', async () => {
    const plan = await activities.resolveAnswerPlan({ tenant: 'globex', feature: 'qa' });
    expect(answerPlanSchema.parse(plan)).toEqual(plan);
    expect(plan.prompt).toBe(grounded);
    expect(plan).not.toHaveProperty('route');
    expect(plan).not.toHaveProperty('experiment');
    expect(plan.policyRoute).toBe('default');
    expect(plan.review).toEqual({ group: 'reviewers', members: ['*'], always: false, deadlineMs: 24 * 3_600_000 });
    expect(plan.refine).toEqual(catalog.routes.default!.refine);
    expect(plan.modelJudge).toBe(false);
    const gates = gateConfig.resolve('globex', 'qa');
    expect(plan.gatePolicy).toEqual({ version: contentVersion(gates), gates });
    expect(plan.gatePolicy.version).toMatch(/^[0-9a-f]{12}$/);
    expect(plan.catalogVersion).toBe(contentVersion(catalog));
    expect({ judge: plan.judgePrompt, revise: plan.revisePrompt }).toEqual(auxiliaryPrompts(library));
  });

  it("takes the prompt's route, and pins its review group members and escalation", async () => {
    const plan = await activities.resolveAnswerPlan({ tenant: 'globex', feature: 'support' });
    expect(plan.prompt.id).toBe('support-answer');
    expect(plan).toMatchObject({ route: 'support', policyRoute: 'support', modelJudge: true });
    expect(plan.review).toEqual({
      group: 'support', members: ['ann', 'bob'], always: false, belowScore: 0.4, deadlineMs: 48 * 3_600_000,
      escalation: { group: 'leads', members: ['lee'], deadlineMs: 2 * 3_600_000 },
    });
    expect(plan.refine).toMatchObject({
      minScore: 0.7, maxIterations: 3, rubric: [{ criterion: 'Polite', keywords: ['please'] }],
    });
  });

  it("lets the request's route win, and rejects an unknown one as bad input", async () => {
    expect(await activities.resolveAnswerPlan({ tenant: 't', feature: 'support', route: 'default' }))
      .toMatchObject({ route: 'default', policyRoute: 'default', modelJudge: false });
    expect(await activities.resolveAnswerPlan({ tenant: 't', feature: 'qa', route: 'support' }))
      .toMatchObject({ route: 'support', policyRoute: 'support', modelJudge: true });
    const failure = await failureOf(activities.resolveAnswerPlan({ tenant: 't', feature: 'qa', route: 'legal' }));
    expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(failure.message).toContain('unknown route legal');
    expect(await failureOf(activities.resolveAnswerPlan({ tenant: 'bad tenant', feature: 'qa' })))
      .toMatchObject({ type: 'InvalidInput', nonRetryable: true });
  });

  it("pins the route's context policy, and leaves it out for a route without one", async () => {
    const withContext = modelCatalogSchema.parse({
      ...catalogInput, routes: { ...catalogInput.routes, trimmed: { chain: ['gpt'], context: { maxPassages: 2 } } },
    });
    const trimmedActivities = createPromptActivities({ prompts: library, modelCatalog: withContext, gateConfig });
    const plan = await trimmedActivities.resolveAnswerPlan({ tenant: 't', feature: 'qa', route: 'trimmed' });
    expect(plan.context).toEqual({ maxPassages: 2 });
    expect(answerPlanSchema.parse(plan).context).toEqual({ maxPassages: 2 });
    expect(await trimmedActivities.resolveAnswerPlan({ tenant: 't', feature: 'qa' })).not.toHaveProperty('context');
  });

  it("keeps a prompt's route the catalog lacks, with default policies", async () => {
    const modelCatalog = modelCatalogSchema.parse(offlineCatalog);
    const offline = createPromptActivities({ prompts: library, modelCatalog, gateConfig });
    expect(await offline.resolveAnswerPlan({ tenant: 't', feature: 'support' }))
      .toMatchObject({ route: 'support', policyRoute: 'default' });
  });

  it('lists every variant of the experiment a tenant takes part in', async () => {
    const plan = await activities.resolveAnswerPlan({ tenant: 'acme', feature: 'qa' });
    expect(plan.experiment).toEqual({
      id: 'terse',
      variants: [
        { name: 'control', weight: 1, prompt: grounded },
        { name: 'terse', weight: 3, prompt: library.template('grounded-answer', 'grounded-v2') },
      ],
    });
    expect(plan.prompt).toBe(grounded);
    expect(answerPlanSchema.safeParse(plan).success).toBe(true);
  });

  it('changes versions when the gate config or catalog changes, and only then', async () => {
    const plan = await activities.resolveAnswerPlan({ tenant: 'acme', feature: 'qa' });
    const same = createPromptActivities({
      prompts: library, modelCatalog: modelCatalogSchema.parse(structuredClone(catalogInput)),
      gateConfig: new GateConfig({}),
    });
    const again = await same.resolveAnswerPlan({ tenant: 'acme', feature: 'qa' });
    expect(again.gatePolicy.version).toBe(plan.gatePolicy.version);
    expect(again.catalogVersion).toBe(plan.catalogVersion);

    const stricter = new GateConfig({
      overrides: [{ tenant: 'acme', gates: { input: { injection: { blockThreshold: 0.6 } } } }],
    });
    const changed = createPromptActivities({ prompts: library, modelCatalog: catalog, gateConfig: stricter });
    expect((await changed.resolveAnswerPlan({ tenant: 'acme', feature: 'qa' })).gatePolicy.version)
      .not.toBe(plan.gatePolicy.version);
    expect((await changed.resolveAnswerPlan({ tenant: 'globex', feature: 'qa' })).gatePolicy.version)
      .toBe((await activities.resolveAnswerPlan({ tenant: 'globex', feature: 'qa' })).gatePolicy.version);

    const longer = modelCatalogSchema.parse({
      ...catalogInput, reviewGroups: { ...catalogInput.reviewGroups, leads: ['lee', 'max'] },
    });
    const recatalogued = createPromptActivities({ prompts: library, modelCatalog: longer, gateConfig });
    const replanned = await recatalogued.resolveAnswerPlan({ tenant: 'acme', feature: 'qa' });
    expect(replanned.catalogVersion).not.toBe(plan.catalogVersion);
    expect(replanned.gatePolicy.version).toBe(plan.gatePolicy.version);
  });
});

describe('contentVersion', () => {
  it('ignores key order and undefined fields, and sees every value', () => {
    expect(contentVersion({ a: 1, b: [1, { c: 'x', d: undefined }] }))
      .toBe(contentVersion({ b: [1, { c: 'x' }], a: 1 }));
    expect(contentVersion({ a: 1 })).not.toBe(contentVersion({ a: 2 }));
    expect(contentVersion([1, 2])).not.toBe(contentVersion([2, 1]));
    expect(contentVersion({ a: '1' })).not.toBe(contentVersion({ a: 1 }));
  });
});
