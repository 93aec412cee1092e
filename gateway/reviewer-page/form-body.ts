import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isWellFormedText } from '../../contracts/visible-text';
import { InvalidEncodingError, InvalidInputError } from '../http/errors';

// The reviewer page's forms arrive as application/x-www-form-urlencoded, which the JSON API
// does not take. This parser is added in the page's own scope only. Like the JSON parser it
// refuses bytes that are not UTF-8 (URLSearchParams would turn them into U+FFFD silently), so
// an edited answer reaches the run exactly as the reviewer typed it, or not at all.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The fields of a submitted form. */
export class FormFields {
  constructor(private readonly fields: ReadonlyMap<string, string>) {}

  /** The field's value; undefined when the form did not send it. */
  get(name: string): string | undefined {
    return this.fields.get(name);
  }

  /** The field's value with surrounding blanks removed; undefined when absent or blank. */
  text(name: string): string | undefined {
    const value = this.fields.get(name)?.trim();
    return value ? value : undefined;
  }
}

/** One name or value of a urlencoded body: `+` is a space, and every `%XX` must make UTF-8. */
function decodeComponent(raw: string): string {
  try {
    const decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
    if (!isWellFormedText(decoded)) throw new URIError('lone surrogate');
    return decoded;
  } catch {
    throw new InvalidEncodingError('the form holds percent-encoded bytes that are not UTF-8');
  }
}

/** Parses a urlencoded body; a field sent twice is refused, not guessed at. */
export function parseFormBody(body: string): FormFields {
  const fields = new Map<string, string>();
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const name = decodeComponent(separator < 0 ? pair : pair.slice(0, separator));
    const value = separator < 0 ? '' : decodeComponent(pair.slice(separator + 1));
    if (fields.has(name)) throw new InvalidInputError(`the form sent ${name} twice`, name);
    fields.set(name, value);
  }
  return new FormFields(fields);
}

/** Makes form bodies (and only them) readable in `scope`, up to the gateway's body limit. */
export function installFormBodyParser(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, parseFormBody(strictUtf8.decode(body as Buffer)));
      } catch (error) {
        done(error instanceof InvalidEncodingError || error instanceof InvalidInputError ? error
          : new InvalidEncodingError('the form is not valid UTF-8'), undefined);
      }
    },
  );
}

/** The parsed form of a POST; an InvalidInputError when the request carried none. */
export function formOf(request: FastifyRequest): FormFields {
  if (request.body instanceof FormFields) return request.body;
  throw new InvalidInputError('send the form as application/x-www-form-urlencoded');
}
