import { html, type SafeHtml } from '../html';
import { layout, type SignedInHeader } from './layout';

// What a reviewer sees when a page cannot be shown: a heading for the status, the one-line
// reason and a way back. Never a stack trace; a 500 names only the request id.

const headings: Readonly<Record<number, string>> = {
  400: 'That request cannot be served', 403: 'Not allowed', 404: 'Not found', 409: 'Not possible now',
  413: 'Too long', 415: 'That request cannot be served', 429: 'Too many requests', 503: 'Temporarily unavailable',
};

export function errorPage(status: number, message: string, reviewer?: SignedInHeader): SafeHtml {
  const heading = headings[status] ?? (status >= 500 ? 'Something went wrong' : 'That request cannot be served');
  return layout({ title: heading, ...(reviewer ? { reviewer } : {}) }, html`<h1>${heading}</h1>
<p class="message error" role="alert">${message}</p>
<p><a href="/review/inbox">Back to the reviews waiting for you</a></p>
`);
}
