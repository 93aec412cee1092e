import { z } from 'zod';
import { operations, requestSchemas, responseSchemas, type OperationSpec } from './operations';

// The OpenAPI 3.1 document, generated from the zod schemas the gateway validates with (zod's
// JSON Schema output is draft 2020-12, the dialect OpenAPI 3.1 uses). Named schemas become
// components and refer to one another by `#/components/schemas/<name>`.

type JsonObject = Record<string, unknown>;

const componentRef = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject): JsonObject => ({ 'application/json': { schema } });

/** Components for a set of named schemas, as their input or output type. */
function componentsOf(
  schemas: Readonly<Record<string, z.ZodType>>, io: 'input' | 'output',
): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    io, uri: (id) => `#/components/schemas/${id}`,
    // Requests are strict (an unknown field is refused); responses may gain fields without breaking clients.
    override: ({ jsonSchema }) => {
      if (io === 'output' && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
  const components: Record<string, JsonObject> = {};
  // `$id` and `$schema` belong to standalone JSON Schema files; inside the document they would
  // re-base the refs, and 3.1 documents default to draft 2020-12 anyway.
  for (const [id, { $id: _id, $schema: _schema, ...schema }] of Object.entries(generated)) components[id] = schema;
  return components;
}

/** Error responses shared by the operations, each with the one error shape. */
const errorResponses: Record<number, [string, JsonObject]> = {
  400: ['BadRequest', { description: 'invalid field, malformed JSON, invalid Unicode or a tenant in the body' }],
  401: ['Unauthorized', {
    description: 'missing or invalid API key',
    headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer challenge' } },
  }],
  403: ['Forbidden', { description: 'the API key lacks the role or reviewer group' }],
  404: ['NotFound', { description: 'no such route, or no run of the caller\'s tenant with this id' }],
  409: ['Conflict', { description: 'the id is used by another run, or the run takes no such decision now' }],
  413: ['PayloadTooLarge', { description: 'the body is over the gateway\'s limit' }],
  415: ['UnsupportedMediaType', { description: 'the body is not application/json' }],
  422: ['Unprocessable', { description: 'the run failed on its input (e.g. a policy refused it)' }],
  429: ['TooManyRequests', {
    description: 'the tenant is over its request or token limit (`error.code` says which)',
    headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 }, description: 'seconds to wait' } },
  }],
  500: ['InternalError', { description: 'unexpected error; the message carries the request id' }],
  503: ['Unavailable', { description: 'Temporal cannot be reached' }],
};

/** Every error status an operation may answer. */
function errorStatusesOf(operation: OperationSpec): number[] {
  const statuses = new Set<number>(operation.errors);
  if (operation.role) [401, 403, 429].forEach((status) => statuses.add(status));
  if (operation.body) [400, 413, 415].forEach((status) => statuses.add(status));
  if (operation.query || operation.params) statuses.add(400);
  if (operation.role || operation.body) statuses.add(500);
  return [...statuses].sort((left, right) => left - right);
}

/** Query and path parameters from their zod object schemas. */
function parametersOf(operation: OperationSpec): JsonObject[] {
  const parameters: JsonObject[] = [];
  for (const [location, schema] of [['path', operation.params], ['query', operation.query]] as const) {
    if (!schema) continue;
    const { properties = {}, required = [] } = z.toJSONSchema(schema, { io: 'input' }) as {
      properties?: Record<string, JsonObject>; required?: string[];
    };
    for (const [name, property] of Object.entries(properties)) {
      const isRequired = location === 'path' || required.includes(name);
      parameters.push({ name, in: location, required: isRequired, schema: property });
    }
  }
  return parameters;
}

function operationObject(operation: OperationSpec): JsonObject {
  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    const schema = response.schema ? componentRef(response.schema) : { type: 'object' };
    const content = response.contentType ? { [response.contentType]: { schema } } : json(schema);
    responses[status] = { description: response.description, content };
  }
  for (const status of errorStatusesOf(operation)) {
    responses[String(status)] = { $ref: `#/components/responses/${errorResponses[status]![0]}` };
  }
  const parameters = parametersOf(operation);
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.role ? { description: `Needs an API key with the \`${operation.role}\` role.` } : {}),
    security: operation.role ? [{ apiKey: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(operation.body ? { requestBody: { required: true, content: json(componentRef(operation.body)) } } : {}),
    responses,
  };
}

/** The gateway's OpenAPI 3.1 document. */
export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: operationObject(operation) };
  }
  const responses: Record<string, JsonObject> = {};
  for (const [name, response] of Object.values(errorResponses)) {
    responses[name] = { ...response, content: json(componentRef('ErrorResponse')) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sluice HTTP gateway', version: '1',
      description: 'Durable GenAI pipelines on Temporal, for services in any language. Every error body is ' +
        '`{ "error": { "code", "message", "field"? } }`; the tenant is always the API key\'s.',
    },
    paths,
    components: {
      schemas: { ...componentsOf(requestSchemas, 'input'), ...componentsOf(responseSchemas, 'output') },
      responses,
      securitySchemes: {
        apiKey: {
          type: 'http', scheme: 'bearer', bearerFormat: 'sk_<id>_<secret>',
          description: 'An API key made with `sluice gateway key create`; it decides the tenant and roles.',
        },
      },
    },
  };
}
