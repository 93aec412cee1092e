// Temporal's remote codec protocol, framework-free, so the Web UI and `temporal workflow show
// --codec-endpoint …` can read encrypted histories: `POST /encode` and `POST /decode` take and
// return `{ "payloads": [ { "metadata": { k: base64 }, "data": base64 } ] }` (proto3 JSON).
// A decode hands out plaintext, so every request needs a bearer token the caller's `authorize`
// accepts, the configured namespace, and (from a browser) the Temporal UI's origin.
import type { Payload, PayloadCodec } from '@temporalio/common';
import { codecPayloadsBodySchema, type JsonPayload } from '../../contracts/codec';
import { formatZodError } from '../../contracts/format-error';
import { CodecDecryptError, CodecKeyUnknownError } from './codec-errors';

/** Origins of the Temporal UI of the dev stack, allowed when none are configured. */
export const defaultCodecOrigins: readonly string[] = ['http://127.0.0.1:8233', 'http://localhost:8233'];

export interface CodecHttpRequest {
  method: string;
  /** The request path; a prefix and a query string are allowed (`/codec/decode?x=1`). */
  path: string;
  /** Request headers, any case. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body as text or bytes, or JSON a framework has already parsed. */
  body?: unknown;
}

export interface CodecHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The one namespace whose payloads this endpoint encodes and decodes (the `X-Namespace` header). */
  namespace: string;
  /** Checks the token of `Authorization: Bearer <token>`; false (or no token) answers 401. */
  authorize: (token: string) => boolean | Promise<boolean>;
  /** Browser origins allowed to call (the Temporal UI). @default defaultCodecOrigins */
  allowedOrigins?: readonly string[];
}

const corsRequestHeaders = 'content-type,x-namespace,authorization';
const corsMethods = 'POST,OPTIONS';

function json(
  status: number, body: unknown, headers: Record<string, string> = {},
): CodecHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

const refuse = (status: number, message: string, headers: Record<string, string> = {}): CodecHttpResponse =>
  json(status, { message }, headers);

function header(request: CodecHttpRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function action(path: string): 'encode' | 'decode' | undefined {
  const match = /\/(encode|decode)\/?$/.exec(path.split('?')[0] ?? '');
  return match?.[1] as 'encode' | 'decode' | undefined;
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

function parseBody(body: unknown): { payloads: Payload[] } | { error: string } {
  let value = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      value = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch {
      return { error: 'body: not valid JSON' };
    }
  }
  const parsed = codecPayloadsBodySchema.safeParse(value);
  if (!parsed.success) return { error: formatZodError(parsed.error) };
  return { payloads: parsed.data.payloads.map(fromJsonPayload) };
}

function fromJsonPayload(payload: JsonPayload): Payload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  );
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJsonPayload(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  );
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

/** Whether `authorize` accepts the request's bearer token (no token: no call). */
async function authorized(request: CodecHttpRequest, options: CodecServerOptions): Promise<boolean> {
  const token = bearerToken(header(request, 'authorization'));
  return token !== undefined && (await options.authorize(token)) === true;
}

/** Answers one codec request: preflight, encode or decode. Never throws. */
export async function handleCodecRequest(
  request: CodecHttpRequest, options: CodecServerOptions,
): Promise<CodecHttpResponse> {
  const origin = header(request, 'origin');
  const originAllowed = origin !== undefined && (options.allowedOrigins ?? defaultCodecOrigins).includes(origin);
  // Only the UI's own origin may read answers in a browser; any other page gets no CORS headers at all.
  const cors: Record<string, string> = originAllowed
    ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' }
    : {};
  const operation = action(request.path);
  if (!operation) return refuse(404, 'not found: use /encode or /decode', cors);
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS') {
    if (!originAllowed) return refuse(403, 'origin not allowed');
    return {
      status: 204,
      headers: {
        ...cors,
        'access-control-allow-headers': corsRequestHeaders,
        'access-control-allow-methods': corsMethods,
        'access-control-max-age': '600',
      },
      body: '',
    };
  }
  // A page on another origin gets nothing, even where a browser would send the request anyway.
  if (origin !== undefined && !originAllowed) return refuse(403, 'origin not allowed');
  if (method !== 'POST') return refuse(405, 'method not allowed: use POST', { ...cors, allow: corsMethods });
  try {
    if (!(await authorized(request, options))) {
      return refuse(401, 'missing or invalid bearer token', { ...cors, 'www-authenticate': 'Bearer' });
    }
  } catch {
    return refuse(500, 'the authorization check failed', cors);
  }
  const namespace = header(request, 'x-namespace');
  if (namespace === undefined) return refuse(400, 'x-namespace: header is required', cors);
  if (namespace !== options.namespace) {
    return refuse(403, `namespace ${JSON.stringify(namespace.slice(0, 200))} is not served here`, cors);
  }
  const parsed = parseBody(request.body);
  if ('error' in parsed) return refuse(400, parsed.error, cors);
  try {
    const payloads = operation === 'encode'
      ? await options.codec.encode(parsed.payloads)
      : await options.codec.decode(parsed.payloads);
    return json(200, { payloads: payloads.map(toJsonPayload) }, cors);
  } catch (error) {
    // Codec errors name a key id and never data, so the caller may see them.
    if (error instanceof CodecKeyUnknownError || error instanceof CodecDecryptError) {
      return refuse(422, error.message, cors);
    }
    return refuse(500, `${operation} failed`, cors);
  }
}
