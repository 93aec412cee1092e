import type { FastifyInstance } from 'fastify';

// A browser for the reviewer page's unit tests, over Fastify's inject: it keeps the cookies the
// page sets (as a browser would, honouring Max-Age=0), sends forms urlencoded and reads the CSRF
// token of a form out of the HTML.

export interface PageResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /** Set-Cookie headers of this response. */
  setCookies: string[];
}

export class PageBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  get(url: string): Promise<PageResponse> {
    return this.send('GET', url);
  }

  /** POSTs `fields` as a form. */
  post(url: string, fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded'):
  Promise<PageResponse> {
    return this.send('POST', url, new URLSearchParams(fields).toString(), contentType);
  }

  /** POSTs a raw body. */
  async send(method: 'GET' | 'POST', url: string, payload?: string, contentType?: string): Promise<PageResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.app.inject({
      method, url, ...(payload !== undefined ? { payload } : {}),
      headers: { ...(cookie ? { cookie } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
    });
    const raw = response.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
    for (const header of setCookies) {
      const [pair] = header.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (/Max-Age=0(;|$)/.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.statusCode, headers: response.headers, body: response.body, setCookies };
  }

  /** Signs in with a key (`sk_…`, or an `Authorization` value): the sign-in POST's response. */
  async signIn(key: string): Promise<PageResponse> {
    const form = await this.get('/review');
    const csrf = csrfOf(form.body, '/review/sign-in');
    return this.post('/review/sign-in', { csrf, key: key.replace(/^Bearer /, '') });
  }
}

/** The CSRF token of the first form posting to `action` in `body`. */
export function csrfOf(body: string, action: string): string {
  const start = body.indexOf(`action="${action.replace(/&/g, '&amp;')}"`);
  if (start < 0) throw new Error(`no form posts to ${action}`);
  const match = /name="csrf" value="([^"]+)"/.exec(body.slice(start));
  if (!match) throw new Error(`the form posting to ${action} has no CSRF token`);
  return match[1]!;
}

/** A run page's decision URL. */
export const decisionUrl = (workflowId: string): string => `/review/runs/${encodeURIComponent(workflowId)}/decision`;
