import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, type Fault, type Protocol } from './faults';
import {
  anthropicMessage, anthropicStream, openAICompletion, openAIStream, outputTokensOf, type Reply,
} from './wire-format';

export type { Fault } from './faults';

/** One request the fake received, with what it did about it. */
export interface RecordedRequest {
  protocol: Protocol;
  model: string;
  stream: boolean;
  /** `performance.timeOrigin + performance.now()` when the request arrived and when its response ended. */
  receivedAt: number;
  respondedAt?: number;
  status?: number;
  fault?: Fault['kind'];
  /** Tokens of an answered request as its usage reports them (absent for a fault): what a provider would bill. */
  inputTokens?: number;
  outputTokens?: number;
  /** The last user message of an answered request: the rendered prompt, passages included. */
  lastUserMessage?: string;
}

export interface FakeLlmServerOptions {
  /** Key the fake expects (Bearer or x-api-key); any other gets 401. Unset: any key is accepted. */
  apiKey?: string;
  /** Delay between streamed chunks. @default 0 */
  chunkDelayMs?: number;
  /** Text answered for a request. @default echoes the model and the last user message */
  reply?: (model: string, lastUserMessage: string) => string;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: unknown }[];
}

const now = (): number => performance.timeOrigin + performance.now();

/**
 * A real HTTP server speaking the OpenAI chat-completions and Anthropic messages wire
 * protocols, streaming included, that the real `openai` and `@anthropic-ai/sdk` clients talk
 * to through `baseURL`. Tests queue faults (`failNext`) or set one for every request
 * (`failAlways`), and read what it received from `requests`.
 */
export class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  private queued: Fault[] = [];
  private persistent: Fault | undefined;
  private replyOverride: FakeLlmServerOptions['reply'];
  private server!: Server;
  private port = 0;

  private constructor(private readonly options: FakeLlmServerOptions) {}

  static async start(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
    const fake = new FakeLlmServer(options);
    fake.server = createServer((request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Base URL for the OpenAI SDK (and OpenAI-compatible servers). */
  get openAIBaseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Base URL for the Anthropic SDK. */
  get anthropicBaseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `times` requests get `fault`. */
  failNext(fault: Fault, times = 1): this {
    for (let index = 0; index < times; index++) this.queued.push(fault);
    return this;
  }

  /** Every request gets `fault` until `heal()`. */
  failAlways(fault: Fault): this {
    this.persistent = fault;
    return this;
  }

  /** Replaces how replies are written (until `reset()`). */
  setReply(reply: FakeLlmServerOptions['reply']): this {
    this.replyOverride = reply;
    return this;
  }

  /** Clears every queued and persistent fault. */
  heal(): this {
    this.queued = [];
    this.persistent = undefined;
    return this;
  }

  /** Clears faults and the request log. */
  reset(): this {
    this.heal();
    this.replyOverride = undefined;
    this.requests.length = 0;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const protocol: Protocol | undefined = request.url?.endsWith('/chat/completions') ? 'openai' : request.url?.endsWith('/messages') ? 'anthropic' : undefined;
    const raw = await readBody(request);
    // Model listing, which vLLM and other OpenAI-compatible servers answer once they are ready.
    if (request.method === 'GET' && request.url?.endsWith('/models')) return send(response, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'sluice-test' }] });
    if (!protocol || request.method !== 'POST') return send(response, 404, { error: { message: `no route ${request.method} ${request.url}` } });
    let body: ChatBody;
    try {
      body = JSON.parse(raw) as ChatBody;
    } catch {
      return send(response, 400, errorBody(protocol, 'context_length'));
    }
    const record: RecordedRequest = { protocol, model: body.model ?? '', stream: body.stream === true, receivedAt: now() };
    this.requests.push(record);
    response.on('close', () => (record.respondedAt = now()));

    const fault = this.queued.shift() ?? this.persistent ?? (this.isAuthorised(request) ? undefined : ({ kind: 'unauthorized' } as const));
    record.fault = fault?.kind;
    if (fault) return this.injectFault(fault, protocol, record, response);

    const lastUser = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
    const userText = typeof lastUser?.content === 'string' ? lastUser.content : JSON.stringify(lastUser?.content ?? '');
    const reply: Reply = {
      model: record.model,
      text: (this.replyOverride ?? this.options.reply)?.(record.model, userText) ?? `Fake answer from ${record.model}: ${userText.slice(0, 60)}`,
      inputTokens: Math.ceil(raw.length / 4),
    };
    record.status = 200;
    record.lastUserMessage = userText;
    record.inputTokens = reply.inputTokens;
    record.outputTokens = outputTokensOf(reply.text);
    if (!record.stream) return send(response, 200, protocol === 'openai' ? openAICompletion(reply) : anthropicMessage(reply));
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const event of protocol === 'openai' ? openAIStream(reply) : anthropicStream(reply)) {
      response.write(event);
      if (this.options.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.chunkDelayMs));
    }
    response.end();
  }

  private isAuthorised(request: IncomingMessage): boolean {
    if (!this.options.apiKey) return true;
    return request.headers.authorization === `Bearer ${this.options.apiKey}` || request.headers['x-api-key'] === this.options.apiKey;
  }

  private injectFault(fault: Fault, protocol: Protocol, record: RecordedRequest, response: ServerResponse): void {
    switch (fault.kind) {
      case 'rate-limit': {
        record.status = 429;
        const headers: Record<string, string> = { 'retry-after': String(fault.retryAfterSeconds ?? 1) };
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        return send(response, 429, errorBody(protocol, 'rate_limit'), headers);
      }
      case 'server-error':
        record.status = fault.status ?? 500;
        return send(response, record.status, errorBody(protocol, 'server'));
      case 'unauthorized':
        record.status = 401;
        return send(response, 401, errorBody(protocol, 'auth'));
      case 'context-length':
        record.status = 400;
        return send(response, 400, errorBody(protocol, 'context_length'));
      case 'malformed-json':
        record.status = 200;
        if (record.stream) {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.end(protocol === 'openai' ? 'data: {"id":"x","choices":[{"delta":{"content":\n\n' : 'event: message_start\ndata: {"type":"message_start","message":\n\n');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"id":"chatcmpl-broken","choices":[{"message":');
        return;
      case 'hang':
        return; // the socket stays open until the client gives up or the server closes
      case 'stall-stream':
        record.status = 200;
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(protocol === 'openai' ? openAIStream({ model: record.model, text: 'partial', inputTokens: 1 })[0]! : anthropicStream({ model: record.model, text: 'partial', inputTokens: 1 })[0]!);
        return;
      case 'reset':
        response.socket?.destroy();
        return;
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
