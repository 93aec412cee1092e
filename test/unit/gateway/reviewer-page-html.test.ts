import { escapeHtml, html, SafeHtml } from '../../../gateway/reviewer-page/html';
import { runPage } from '../../../gateway/reviewer-page/pages/run-page';
import { pendingView } from './gateway-fixture';

// The reviewer page shows text from users, documents and models: every interpolated value must
// reach the browser as text, never as markup.

const hostile = '<script>alert("x")</script><img src=x onerror=\'alert(1)\'> & more';

describe('html escaping', () => {
  it('escapes the five characters that can open markup or leave an attribute', () => {
    expect(escapeHtml('<a href="x" title=\'y\'>&</a>'))
      .toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes every interpolated string and number, in text and in attributes', () => {
    const rendered = html`<p title="${hostile}">${hostile} ${42}</p>`.value;
    expect(rendered).not.toContain('<script>');
    expect(rendered).not.toContain('<img');
    expect(rendered).toBe(`<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)} 42</p>`);
    expect(html`<input value="${'" autofocus onfocus="alert(1)'}">`.value)
      .toBe('<input value="&quot; autofocus onfocus=&quot;alert(1)">');
  });

  it('inserts escaped HTML as is, lists item by item, and nothing for null, undefined and false', () => {
    const item = (text: string) => html`<li>${text}</li>`;
    expect(html`<ul>${['<b>', 'ok'].map(item)}</ul>`.value).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul>');
    expect(html`a${null}${undefined}${false}b`.value).toBe('ab');
    expect(html`${html`<em>${'<i>'}</em>`}`.value).toBe('<em>&lt;i&gt;</em>');
    // A plain string that looks like HTML is still text: only SafeHtml passes through.
    expect(html`${'<em>'}`).toBeInstanceOf(SafeHtml);
    expect(html`${'<em>'}`.value).toBe('&lt;em&gt;');
  });

  it('renders a run page whose question, draft, sources and findings hold markup as text', () => {
    const page = runPage({
      reviewer: { name: 'rita', tenant: 'acme', signOutCsrf: 'token' }, workflowId: 'answer~acme~r1', now: 0,
      csrf: 'csrf-token',
      view: {
        ...pendingView, question: hostile, draft: `</textarea>${hostile}`, requestedBy: hostile, reasons: [hostile],
        citations: [{
          marker: 1, documentId: 'd', chunkIndex: 0, title: hostile, source: hostile, score: 0.5, quote: 'q',
          passage: hostile,
        }],
        gateDecisions: [{ gate: hostile, action: 'review', reasons: [hostile], scores: {}, unchecked: false }],
      },
    }).value;
    expect(page).not.toMatch(/<script|<img|<\/textarea><script/);
    // The draft prefills the edit box as text; it cannot close the textarea early.
    expect(page).toContain(`&lt;/textarea&gt;${escapeHtml(hostile)}</textarea>`);
    expect(page.split(escapeHtml(hostile)).length - 1).toBeGreaterThanOrEqual(8);
  });
});
