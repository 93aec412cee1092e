import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

// A server-sent events client for tests: POSTs JSON, reads the stream as it comes, and can drop the
// connection the way a client that goes away does (node:http's destroy closes the socket at once;
// fetch's abort can leave it half open until the server's keep-alive timeout).

/** One event of a stream (comments are not events). */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** The events in `text`, comments (`:keepalive`) left out; a trailing partial event is ignored. */
export function parseEvents(text: string): ServerSentEvent[] {
  const complete = text.slice(0, text.lastIndexOf('\n\n') + 2);
  return complete.split('\n\n').filter((block) => block && !block.startsWith(':')).map((block) => {
    const fields = new Map(block.split('\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trimStart()] as const;
    }));
    return { event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data') ?? 'null') as unknown };
  });
}

export interface EventStreamConnection {
  status: number;
  headers: IncomingHttpHeaders;
  /** Reads until `done(everything read so far)` holds or the response ends; returns what was read. */
  readUntil(done: (text: string) => boolean): Promise<string>;
  /** Reads until the server ends the response. */
  readAll(): Promise<string>;
  /** Drops the connection mid-stream. */
  disconnect(): void;
}

/** POSTs `body` as JSON to `url` and returns the response for reading as it streams. */
export async function openEventStream(
  url: string, body: unknown, headers: Record<string, string> = {},
): Promise<EventStreamConnection> {
  const target = new URL(url);
  const request = httpRequest({
    host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
  });
  request.end(JSON.stringify(body));
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  response.setEncoding('utf8');
  let text = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((waiter) => waiter());
  response.on('data', (chunk: string) => { text += chunk; wake(); });
  response.on('end', () => { ended = true; wake(); });
  response.on('close', () => { ended = true; wake(); });
  const readUntil = (done: (received: string) => boolean): Promise<string> => new Promise((resolve) => {
    const check = () => {
      if (!done(text) && !ended) return;
      waiters.delete(check);
      resolve(text);
    };
    waiters.add(check);
    check();
  });
  return {
    status: response.statusCode ?? 0, headers: response.headers, readUntil,
    readAll: () => readUntil(() => false),
    disconnect: () => request.destroy(),
  };
}
