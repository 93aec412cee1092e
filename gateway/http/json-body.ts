import type { FastifyInstance } from 'fastify';
import { isWellFormedText } from '../../contracts/visible-text';
import { InvalidEncodingError, MalformedJsonError } from './errors';

// The gateway's only body parser. Node would decode invalid UTF-8 into U+FFFD and JSON.parse
// accepts `"\ud800"`, so either would reach a workflow as text no one sent; both are refused here,
// before any handler runs. Any other content type is 415.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The path (`documents.0.text`) of the first string or key holding a lone surrogate, if any. */
export function findLoneSurrogate(value: unknown): string | undefined {
  // Iterative: a deeply nested body must not overflow the stack.
  const pending: [unknown, string][] = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, path] = next;
    if (typeof current === 'string') {
      if (!isWellFormedText(current)) return path || '(body)';
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${key}` : key;
        if (!isWellFormedText(key)) return childPath;
        pending.push([child, childPath]);
      }
    }
  }
  return undefined;
}

/** Replaces every body parser with strict UTF-8 JSON (prototype poisoning refused) up to `bodyLimit` bytes. */
export function installJsonBodyParser(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new InvalidEncodingError('the body is not valid UTF-8'), undefined);
      return;
    }
    parseJson(request, text, (error, value) => {
      // The parser's own message quotes the body, which may hold a question: say only what is wrong.
      if (error) {
        const message = text.trim() === '' ? 'the body is empty' : 'the body is not valid JSON';
        done(new MalformedJsonError(message), undefined);
        return;
      }
      const field = findLoneSurrogate(value);
      if (field !== undefined) {
        done(new InvalidEncodingError(`${field}: must be valid Unicode (it holds a lone surrogate)`, field), undefined);
        return;
      }
      done(null, value);
    });
  });
}
