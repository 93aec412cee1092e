import { defaultPayloadConverter } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { EncryptionCodec } from '../../../client/codec/encryption-codec';
import { registerCodecRoutes } from '../../../gateway/codec-routes';

// The gateway's codec routes reach the handler with the request as sent (the handler does the
// checks), and leave the gateway's other routes and their JSON parsing alone. (Over a real socket:
// Fastify's inject loads an ES module jest's CommonJS transform cannot.)

describe('registerCodecRoutes', () => {
  let app: FastifyInstance;
  let base: string;
  const send = async (method: string, path: string, requestHeaders: Record<string, string>, body?: string) => {
    const response = await fetch(`${base}${path}`, { method, headers: requestHeaders, body });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const codec = new EncryptionCodec({ activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) });
  const headers = { 'content-type': 'application/json', 'x-namespace': 'default', authorization: 'Bearer t' };

  beforeAll(async () => {
    app = Fastify();
    app.post('/other', async (request) => ({ echoed: request.body }));
    await registerCodecRoutes(app, { codec, namespace: 'default', authorize: (token) => token === 't' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(() => app.close());

  it('encodes and decodes at /codec/encode and /codec/decode', async () => {
    const plain = defaultPayloadConverter.toPayload('card 4111 1111 1111 1111');
    const payload = { metadata: { encoding: Buffer.from(plain.metadata!.encoding!).toString('base64') },
      data: Buffer.from(plain.data!).toString('base64') };
    const encoded = await send('POST', '/codec/encode', headers, JSON.stringify({ payloads: [payload] }));
    expect(encoded.status).toBe(200);
    expect(encoded.text).not.toContain(payload.data);
    const decoded = await send('POST', '/codec/decode', headers, encoded.text);
    expect(decoded.status).toBe(200);
    expect(JSON.parse(decoded.text)).toEqual({ payloads: [payload] });
  });

  it('answers 401 without a token, 400 for malformed JSON and 204 to the UI preflight', async () => {
    const { authorization: _token, ...anonymous } = headers;
    expect((await send('POST', '/codec/decode', anonymous, '{}')).status).toBe(401);
    const malformed = await send('POST', '/codec/decode', headers, '{"payloads": [');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toEqual({ message: 'body: not valid JSON' });
    const preflight = await send('OPTIONS', '/codec/decode', {
      origin: 'http://localhost:8233', 'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
  });

  it('keeps JSON parsing on the gateway\'s other routes', async () => {
    const other = await send('POST', '/other', { 'content-type': 'application/json' }, '{"a":1}');
    expect(JSON.parse(other.text)).toEqual({ echoed: { a: 1 } });
  });
});
