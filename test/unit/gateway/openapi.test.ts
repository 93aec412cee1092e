import { answerBodySchema } from '../../../contracts/gateway';
import { startFixture, type GatewayFixture } from './gateway-fixture';

// The OpenAPI document: every served route in it and nothing else, every $ref resolving, and the
// schemas the very ones the gateway validates with.

type Json = Record<string, unknown>;

/**
 * `METHOD /path/{param}` of every API route Fastify serves (HEAD mirrors of GETs left out; so is the
 * reviewer page under /review, HTML for browsers rather than part of the JSON API).
 */
function servedRoutes(tree: string): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    prefixes.length = depth;
    const path = prefixes.join('') + match[2]!;
    prefixes.push(match[2]!);
    if (path === '/review' || path.startsWith('/review/')) continue;
    for (const method of match[3]!.split(', ').filter((each) => each !== 'HEAD')) {
      routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

/** Every `$ref` under `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' ? [String(child)] : refsIn(child)));
}

/** What a local `$ref` (`#/a/b`) points at, or undefined. */
function resolveRef(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  const unescape = (part: string): string => part.replace(/~1/g, '/').replace(/~0/g, '~');
  return ref.slice(2).split('/').reduce<unknown>(
    (node, part) => (node && typeof node === 'object' ? (node as Json)[unescape(part)] : undefined),
    document,
  );
}

describe('gateway OpenAPI document', () => {
  let fixture: GatewayFixture;
  let document: Json;
  beforeAll(async () => {
    fixture = await startFixture();
    // Served without a key.
    const response = await fixture.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json() as Json;
  });
  afterAll(() => fixture.app.close());

  it('is an OpenAPI 3.1 document listing exactly the routes served', () => {
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths as Record<string, Json>)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(servedRoutes(fixture.app.printRoutes({ commonPrefix: false })));
    expect(documented).toHaveLength(15);
  });

  it('resolves every $ref', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect([ref, resolveRef(document, ref)]).toEqual([ref, expect.any(Object)]);
    // A component's own `$id` would re-base the refs inside it away from the document.
    const schemas = (document.components as { schemas: Record<string, Json> }).schemas;
    for (const [name, schema] of Object.entries(schemas)) {
      expect([name, schema.$id, schema.$schema]).toEqual([name, undefined, undefined]);
    }
  });

  it('describes bodies with the validating schemas, the bearer scheme and the error responses', () => {
    const components = document.components as { schemas: Record<string, Json>; securitySchemes: Json; responses: Json };
    expect(components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const answerRequest = components.schemas.AnswerRequest!;
    expect(Object.keys(answerRequest.properties as Json).sort()).toEqual(Object.keys(answerBodySchema.shape).sort());
    expect(answerRequest.required).toEqual(['question']);
    expect(answerRequest.additionalProperties).toBe(false);
    for (const name of ['AnswerRequest', 'IngestRequest', 'ReviewDecisionRequest', 'FeedbackRequest']) {
      expect(JSON.stringify(components.schemas[name])).not.toMatch(/"(tenant|reviewer)":/);
    }
    // Responses may gain fields: clients must not be generated to refuse them.
    expect(components.schemas.AnswerRun!.additionalProperties).toBeUndefined();
    const createAnswer = (document.paths as Record<string, Record<string, Json>>)['/v1/answers']!.post!;
    expect(createAnswer.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(createAnswer.responses as Json).sort()).toEqual(
      ['200', '202', '400', '401', '403', '409', '413', '415', '422', '429', '500', '503'],
    );
    expect(resolveRef(document, '#/components/responses/TooManyRequests')).toMatchObject({
      headers: { 'Retry-After': expect.any(Object) },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    });
    const health = (document.paths as Record<string, Record<string, Json>>)['/healthz']!.get!;
    expect(health.security).toEqual([]);
  });

  it('documents the query and path parameters', () => {
    const paths = document.paths as Record<string, Record<string, { parameters?: Json[] }>>;
    expect(paths['/v1/reviews']!.get!.parameters).toEqual([
      expect.objectContaining({ name: 'group', in: 'query', required: false }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
    ]);
    expect(paths['/v1/answers/{workflowId}']!.get!.parameters).toEqual([
      expect.objectContaining({ name: 'workflowId', in: 'path', required: true }),
    ]);
  });

});
