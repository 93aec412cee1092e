import { ModelCatalogError, parseModelCatalog } from '../../../activities/models/load-catalog';
import { contentVersion } from '../../../activities/prompts/config-version';
import { formatZodError } from '../../../contracts/format-error';
import { retrieveContextRequestSchema } from '../../../contracts/retrieval';

// A route's `context` policy in the model catalog: what parses, and what is refused with the field named.

const catalogWith = (context: unknown) => ({
  models: [{ id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000 }],
  routes: { default: { chain: ['extractive'] }, support: { chain: ['extractive'], context } },
});
const refusal = (context: unknown): string => {
  try {
    parseModelCatalog(catalogWith(context));
  } catch (error) {
    expect(error).toBeInstanceOf(ModelCatalogError);
    return (error as Error).message;
  }
  return 'parsed';
};

describe("a route's context policy", () => {
  it('parses each field, alone or together', () => {
    const policy = { maxPassages: 2, minRelativeScore: 0.55, maxTokens: 600 };
    expect(parseModelCatalog(catalogWith(policy)).routes.support!.context).toEqual(policy);
    expect(parseModelCatalog(catalogWith({ maxPassages: 1 })).routes.support!.context).toEqual({ maxPassages: 1 });
    expect(parseModelCatalog(catalogWith({ minRelativeScore: 0 })).routes.support!.context)
      .toEqual({ minRelativeScore: 0 });
    expect(parseModelCatalog(catalogWith({ focusSentences: 2, maxTokens: 300 })).routes.support!.context)
      .toEqual({ focusSentences: 2, maxTokens: 300 });
  });

  it('gives a route with focusSentences a catalog version (and cache scope) of its own', () => {
    const without = contentVersion(parseModelCatalog(catalogWith({ maxPassages: 3 })));
    expect(contentVersion(parseModelCatalog(catalogWith({ maxPassages: 3, focusSentences: 2 })))).not.toBe(without);
    expect(contentVersion(parseModelCatalog(catalogWith({ maxPassages: 3 })))).toBe(without);
  });

  it('is absent when the route has none, and leaves the catalog version as it was', () => {
    const bare = { ...catalogWith(undefined), routes: { default: { chain: ['extractive'] }, support: {
      chain: ['extractive'] } } };
    const parsed = parseModelCatalog(bare);
    expect(parsed.routes.support).not.toHaveProperty('context');
    // The version hashes defined values only: a catalog written before policies existed keeps its version
    // (and with it the answer cache's scope).
    expect(contentVersion(parsed)).toBe(contentVersion(parseModelCatalog(catalogWith(undefined))));
    expect(contentVersion(parseModelCatalog(catalogWith({ maxPassages: 2 })))).not.toBe(contentVersion(parsed));
  });

  it.each([
    [{ maxPassages: 0 }, 'routes.support.context.maxPassages: must be at least 1'],
    [{ maxPassages: 1.5 }, 'routes.support.context.maxPassages: must be a whole number'],
    [{ maxPassages: 101 }, 'routes.support.context.maxPassages: must be at most 100'],
    [{ maxPassages: '2' }, 'routes.support.context.maxPassages: must be a number'],
    [{ minRelativeScore: 1.2 }, 'routes.support.context.minRelativeScore: must be between 0 and 1'],
    [{ minRelativeScore: -0.1 }, 'routes.support.context.minRelativeScore: must be between 0 and 1'],
    [{ maxTokens: 0 }, 'routes.support.context.maxTokens: must be greater than 0'],
    [{ maxTokens: 99.5 }, 'routes.support.context.maxTokens: must be a whole number'],
    [{ focusSentences: 0 }, 'routes.support.context.focusSentences: must be at least 1'],
    [{ focusSentences: 2.5 }, 'routes.support.context.focusSentences: must be a whole number'],
    [{ focusSentences: 51 }, 'routes.support.context.focusSentences: must be at most 50'],
    [{ focusSentences: '2' }, 'routes.support.context.focusSentences: must be a number'],
    [{ maxPassage: 2 }, 'routes.support.context.maxPassage: not a known field'],
    ['two', 'routes.support.context: '],
  ])('refuses %j, naming the field', (context, message) => {
    expect(refusal(context)).toContain(message);
  });

  it('is checked again where retrieval receives it', () => {
    const request = { tenant: 'acme', query: 'q', topK: 4, tokenBudget: 2_000 };
    expect(retrieveContextRequestSchema.parse({ ...request, context: { maxPassages: 2 } }).context)
      .toEqual({ maxPassages: 2 });
    const refused = retrieveContextRequestSchema.safeParse({ ...request, context: { minRelativeScore: 2 } });
    expect(refused.success ? 'parsed' : formatZodError(refused.error))
      .toBe('context.minRelativeScore: must be between 0 and 1');
    expect(retrieveContextRequestSchema.parse({ ...request, context: { focusSentences: 3 } }).context)
      .toEqual({ focusSentences: 3 });
  });
});
