import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import {
  handleCodecRequest, type CodecHttpRequest, type CodecServerOptions,
} from '../../../../client/codec/codec-server';
import { EncryptionCodec } from '../../../../client/codec/encryption-codec';

// The codec endpoint hands out plaintext: only a caller with a token the gateway accepts, for the
// configured namespace, and (in a browser) on the Temporal UI's origin may have it.

const secret = 'My SSN is 123-45-6789';
const codec = new EncryptionCodec({ activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) });
const options: CodecServerOptions = {
  codec, namespace: 'default', authorize: (token) => token === 'good-token',
};
const uiOrigin = 'http://127.0.0.1:8233';

const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');
const toJson = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, base64(value)])),
  data: base64(payload.data),
});
const fromJson = (payload: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata).map(([name, value]) => [name, Buffer.from(value, 'base64')]),
  ),
  data: Buffer.from(payload.data, 'base64'),
});

async function encryptedBody(): Promise<string> {
  const encoded = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
  return JSON.stringify({ payloads: encoded.map(toJson) });
}

function request(overrides: Partial<CodecHttpRequest> & { headers?: Record<string, string> } = {}): CodecHttpRequest {
  return {
    method: 'POST',
    path: '/decode',
    ...overrides,
    headers: {
      'content-type': 'application/json', 'x-namespace': 'default', authorization: 'Bearer good-token',
      ...overrides.headers,
    },
  };
}

/** Everything a response carries, with base64 opened too, so plaintext cannot hide in an encoding. */
function everything(response: { headers: Record<string, string>; body: string }): string {
  const opened = (response.body.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? [])
    .map((chunk) => Buffer.from(chunk, 'base64').toString('utf8'));
  return [JSON.stringify(response.headers), response.body, ...opened].join('\n');
}

describe('handleCodecRequest', () => {
  it('decodes and encodes with a good token, round trip', async () => {
    const decoded = await handleCodecRequest(request({ body: await encryptedBody() }), options);
    expect(decoded.status).toBe(200);
    expect(decoded.headers['cache-control']).toBe('no-store');
    const payloads = (JSON.parse(decoded.body) as { payloads: [{ metadata: Record<string, string>; data: string }] })
      .payloads;
    expect(defaultPayloadConverter.fromPayload(fromJson(payloads[0]))).toBe(secret);

    const encoded = await handleCodecRequest(request({ path: '/encode', body: decoded.body }), options);
    expect(encoded.status).toBe(200);
    expect(everything(encoded)).not.toContain('123-45-6789');
    const again = await handleCodecRequest(request({ body: encoded.body }), options);
    expect(JSON.parse(again.body)).toEqual(JSON.parse(decoded.body));
  });

  it.each([
    ['no Authorization header', { authorization: '' }],
    ['a bad token', { authorization: 'Bearer wrong' }],
    ['another scheme', { authorization: 'Basic good-token' }],
  ])('answers 401 with no plaintext for %s', async (_name, headers) => {
    const authorize = jest.fn(options.authorize);
    const response = await handleCodecRequest(
      request({ headers, body: await encryptedBody() }), { ...options, authorize },
    );
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(everything(response)).not.toContain('123-45-6789');
    expect(everything(response)).not.toContain('json/plain');
  });

  it('answers 401 when the authorize callback resolves false asynchronously', async () => {
    const response = await handleCodecRequest(
      request({ body: await encryptedBody() }), { ...options, authorize: async () => false },
    );
    expect(response.status).toBe(401);
  });

  it('refuses a namespace other than the configured one', async () => {
    const other = await handleCodecRequest(
      request({ headers: { 'x-namespace': 'billing' }, body: await encryptedBody() }), options,
    );
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body)).toEqual({ message: 'namespace "billing" is not served here' });
    expect(everything(other)).not.toContain('123-45-6789');
    const missing = await handleCodecRequest(
      { method: 'POST', path: '/decode', headers: { authorization: 'Bearer good-token' }, body: '{}' }, options,
    );
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('x-namespace: header is required');
  });

  it.each([
    ['malformed JSON', '{"payloads": [', 'body: not valid JSON'],
    ['no payloads field', '{}', 'payloads:'],
    ['data that is not base64', JSON.stringify({ payloads: [{ metadata: {}, data: '!!!' }] }),
      'payloads.0.data: must be base64'],
    ['metadata that is not base64', JSON.stringify({ payloads: [{ metadata: { encoding: 'json/plain' } }] }),
      'payloads.0.metadata.encoding: must be base64'],
  ])('answers 400 naming the field for %s', async (_name, body, message) => {
    const response = await handleCodecRequest(request({ body }), options);
    expect(response.status).toBe(400);
    expect((JSON.parse(response.body) as { message: string }).message).toContain(message);
  });

  it('answers 422 naming the key id, not the data, for a payload under an unknown key', async () => {
    const stranger = new EncryptionCodec({ activeKeyId: 'k9', keys: new Map([['k9', randomBytes(32)]]) });
    const encoded = await stranger.encode([defaultPayloadConverter.toPayload(secret)]);
    const body = JSON.stringify({ payloads: encoded.map(toJson) });
    const response = await handleCodecRequest(request({ body }), options);
    expect(response.status).toBe(422);
    expect((JSON.parse(response.body) as { message: string }).message).toMatch(/^payload was encrypted with key "k9"/);
    expect(everything(response)).not.toContain('123-45-6789');
  });

  it('adds CORS headers for the Temporal UI origin only', async () => {
    const body = await encryptedBody();
    for (const origin of [uiOrigin, 'http://localhost:8233']) {
      const allowed = await handleCodecRequest(request({ headers: { origin }, body }), options);
      expect(allowed.status).toBe(200);
      expect(allowed.headers['access-control-allow-origin']).toBe(origin);
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    }
    const other = await handleCodecRequest(request({ headers: { origin: 'https://evil.example' }, body }), options);
    expect(other.status).toBe(403);
    expect(Object.keys(other.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(everything(other)).not.toContain('123-45-6789');
    const configured = await handleCodecRequest(
      request({ headers: { origin: 'https://ui.example' }, body }),
      { ...options, allowedOrigins: ['https://ui.example'] },
    );
    expect(configured.headers['access-control-allow-origin']).toBe('https://ui.example');
  });

  it('answers the preflight of the UI origin with 204 and refuses any other with 403', async () => {
    const preflight = (origin: string) => handleCodecRequest(
      { method: 'OPTIONS', path: '/codec/decode', headers: { origin, 'access-control-request-method': 'POST' } },
      options,
    );
    const allowed = await preflight(uiOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': uiOrigin,
      'access-control-allow-headers': 'content-type,x-namespace,authorization',
      'access-control-allow-methods': 'POST,OPTIONS',
      'access-control-allow-credentials': 'true',
    });
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await handleCodecRequest(request({ path: '/download' }), options)).status).toBe(404);
    expect((await handleCodecRequest(request({ method: 'GET' }), options)).status).toBe(405);
  });
});
