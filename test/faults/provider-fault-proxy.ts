import {
  createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeLlmServer, type Fault } from '../fakes/fake-llm-server';
import type { Protocol } from '../fakes/faults';
import { seededRandom } from '../helpers/seeded-random';

// A fault storm in front of the fake provider wire server, composed from outside it: one
// FakeLlmServer per fault (set with `failAlways`) and one healthy one, behind a loopback proxy
// that picks, per request, which of them answers. The pick is a seeded function of the run a
// request belongs to, its protocol and how many requests that run already made on it, so the
// same seed injects the same faults into the same runs however the requests interleave, and
// each run's requests can be matched with the attempts its result records.

/** The faults a storm spreads its failures over, each answered by its own fake. */
export const stormFaults = {
  /** 429 with `retry-after: 1` (seconds). */
  'rate-limit-seconds': { kind: 'rate-limit', retryAfterSeconds: 1 },
  /** 429 with `retry-after-ms: 300` (which wins over `retry-after`). */
  'rate-limit-ms': { kind: 'rate-limit', retryAfterSeconds: 1, retryAfterMs: 300 },
  'server-error': { kind: 'server-error', status: 500 },
  /** Never answers: the provider call's own timeout must end it. */
  hang: { kind: 'hang' },
  /** The socket is destroyed without a response. */
  reset: { kind: 'reset' },
  'malformed-json': { kind: 'malformed-json' },
} as const satisfies Record<string, Fault>;
export type StormFault = keyof typeof stormFaults;

export const allStormFaults = Object.keys(stormFaults) as StormFault[];

/** How a storm fails requests: the share that fail, and the faults they are spread over evenly. */
export interface StormSettings {
  /** In [0, 1]: 0 heals every request, 1 fails every one. */
  failureRate: number;
  /** @default every fault in `stormFaults` */
  faults?: readonly StormFault[];
}

/** One request the proxy received: which run made it, on which protocol, and what it was given. */
export interface StormRequest {
  run: string;
  protocol: Protocol;
  /** 0 for a run's first request on this protocol, then 1, 2… */
  index: number;
  fault: StormFault | 'none';
  /** `performance.now()` when it arrived. */
  receivedAt: number;
}

export interface FaultStormOptions extends StormSettings {
  seed: number;
  /** Finds the run a request belongs to in its raw body (the question carries a tag). */
  runTag: RegExp;
  /** How the healthy fake answers. */
  reply: (model: string, lastUserMessage: string) => string;
}

/** 32-bit FNV-1a of a string: turns a request's identity into a PRNG seed. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

const portOf = (fake: FakeLlmServer): number => Number(new URL(fake.anthropicBaseUrl).port);

/** A loopback proxy that fails a seeded share of provider requests with the faults of `stormFaults`. */
export class FaultStormProxy {
  /** Every request received, in arrival order. */
  readonly requests: StormRequest[] = [];
  private readonly perRun = new Map<string, StormRequest[]>();
  private readonly connections = new Set<Socket>();
  private settings: Required<StormSettings>;
  private server!: Server;
  private port = 0;

  private constructor(
    private readonly options: FaultStormOptions,
    private readonly healthy: FakeLlmServer,
    private readonly faulty: Record<StormFault, FakeLlmServer>,
  ) {
    this.settings = { failureRate: options.failureRate, faults: options.faults ?? allStormFaults };
  }

  static async start(options: FaultStormOptions): Promise<FaultStormProxy> {
    const healthy = await FakeLlmServer.start({ reply: options.reply });
    const faulty = {} as Record<StormFault, FakeLlmServer>;
    for (const name of allStormFaults) faulty[name] = (await FakeLlmServer.start()).failAlways(stormFaults[name]);
    const proxy = new FaultStormProxy(options, healthy, faulty);
    proxy.server = createServer((request, response) => void proxy.forward(request, response));
    proxy.server.on('connection', (socket) => {
      proxy.connections.add(socket);
      socket.on('close', () => proxy.connections.delete(socket));
    });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** Base URL for the OpenAI SDK. */
  get openAIBaseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Base URL for the Anthropic SDK. */
  get anthropicBaseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Changes the storm for requests from now on. */
  setStorm(settings: StormSettings): this {
    this.settings = { failureRate: settings.failureRate, faults: settings.faults ?? allStormFaults };
    return this;
  }

  /** A run's requests on one protocol, in order. */
  requestsOf(run: string, protocol: Protocol): StormRequest[] {
    return this.perRun.get(`${run}/${protocol}`) ?? [];
  }

  /** Forgets every request (the storm settings stay). */
  clearLog(): this {
    this.requests.length = 0;
    this.perRun.clear();
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([this.healthy, ...Object.values(this.faulty)].map((fake) => fake.close()));
  }

  /** The seeded pick for one request: a fault, or `none`. */
  private pick(run: string, protocol: Protocol, index: number): StormFault | 'none' {
    const random = seededRandom(hash(`${this.options.seed}/${run}/${protocol}/${index}`));
    if (random() >= this.settings.failureRate) return 'none';
    const faults = this.settings.faults;
    return faults[Math.min(faults.length - 1, Math.floor(random() * faults.length))] ?? 'none';
  }

  private async forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const protocol: Protocol | undefined = request.url?.endsWith('/chat/completions')
      ? 'openai'
      : request.url?.endsWith('/messages') ? 'anthropic' : undefined;
    let target = this.healthy;
    if (protocol) {
      const run = this.options.runTag.exec(body.toString('utf8'))?.[1] ?? 'untagged';
      const key = `${run}/${protocol}`;
      const ofRun = this.perRun.get(key) ?? [];
      this.perRun.set(key, ofRun);
      const record: StormRequest = { run, protocol, index: ofRun.length, fault: 'none', receivedAt: performance.now() };
      record.fault = this.pick(run, protocol, record.index);
      ofRun.push(record);
      this.requests.push(record);
      if (record.fault !== 'none') target = this.faulty[record.fault];
    }
    const headers = { ...request.headers, host: `127.0.0.1:${portOf(target)}` };
    delete headers.connection;
    const upstream = httpRequest(
      { host: '127.0.0.1', port: portOf(target), method: request.method, path: request.url, headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('error', () => response.destroy());
      },
    );
    // A reset upstream is a reset here; a caller that gives up (a hang's timeout) frees the upstream socket.
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    upstream.end(body);
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
