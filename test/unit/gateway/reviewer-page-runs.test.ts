import { ReviewRefusedError, UnknownRunError } from '../../../client/errors';
import type { PendingReview } from '../../../client/review-client';
import type { ReviewView } from '../../../contracts/review';
import { csrfOf, decisionUrl, PageBrowser, type PageResponse } from './reviewer-page-fixture';
import { pendingView, startFixture, type GatewayFixture } from './gateway-fixture';

// The reviewer's inbox and run pages: only the key's tenant's runs in its groups ever show (any
// other reads as missing), a decision needs its form's CSRF token and is sent with the key's
// name as reviewer, and a refusal is a message on the page.

const question = 'How does Sluice survive a worker crash <b>mid-answer</b>?';
const view: ReviewView = {
  ...pendingView, question, draft: 'The run resumes on another worker, which replays the history [1].',
  requestedBy: 'dave', deadline: '1970-01-01T01:16:40.000Z', reasons: ['route reviewed sends every answer to review'],
  citations: [{
    marker: 1, documentId: 'durability.md', chunkIndex: 2, title: 'Durability', source: 'durability.md', score: 0.81,
    quote: 'replays', passage: 'A worker that dies mid-run is replaced; the history is replayed.',
  }],
  gateDecisions: [{ gate: 'groundedness', action: 'review', reasons: ['claim 2 is not supported'], scores: {},
    unchecked: false }],
  judge: { groundedness: 0.4, coverage: 0.9, rubric: 1, overall: 0.62 },
};
const pending = (workflowId: string, tenant: string | undefined, minute: number, group = 'support'): PendingReview => ({
  workflowId, runId: 'run', group, startedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)), ...(tenant ? { tenant } : {}),
});

describe('reviewer page inbox and runs', () => {
  let fixture: GatewayFixture;
  let browser: PageBrowser;
  const views = new Map<string, ReviewView>();
  /** Runs that do not answer their query: listed without details when they are the reviewer's. */
  const unanswering = new Set<string>();
  const signIn = async (key: 'reviewer' | 'supportReviewer' | 'otherTenant' = 'reviewer') => {
    browser = new PageBrowser(fixture.app);
    expect((await browser.signIn(fixture.auth[key])).status).toBe(303);
  };
  const decide = async (workflowId: string, fields: Record<string, string>): Promise<PageResponse> => {
    const page = await browser.get(`/review/runs/${workflowId}`);
    return browser.post(decisionUrl(workflowId), { csrf: csrfOf(page.body, decisionUrl(workflowId)), ...fields });
  };
  const decideCalls = () => fixture.client.calls.filter((call) => call.method === 'decideReview');

  beforeEach(async () => {
    fixture = await startFixture();
    views.clear();
    unanswering.clear();
    unanswering.add('answer~globex~g1').add('answer~acme~stuck');
    views.set('answer~acme~r1', view);
    views.set('answer~acme~r2', { ...view, question: 'Second question' });
    // Listed under support, escalated to leads since.
    views.set('answer~acme~lead', { ...view, group: 'leads', question: 'Escalated question' });
    // Listed under the tenant's id, but the run's own record names another tenant.
    views.set('answer~acme~squat', { ...view, tenant: 'globex' });
    fixture.client.handlers.showReview = async (workflowId) => {
      if (unanswering.has(workflowId)) throw new Error('query timed out');
      const found = views.get(workflowId);
      if (!found) throw new UnknownRunError(`no run has the workflow id ${workflowId}`);
      return found;
    };
    // A listing that ignores its filter: the page must not trust it to.
    fixture.client.handlers.listReviews = async () => [
      pending('answer~acme~r2', 'acme', 30), pending('answer~globex~g1', 'globex', 0),
      pending('answer~acme~r1', 'acme', 10), pending('answer~acme~untagged', undefined, 5),
      pending('answer~acme~lead', 'acme', 20), pending('answer~acme~squat', 'acme', 1),
      pending('answer~acme~stuck', 'acme', 40, 'leads'),
    ];
    await signIn();
  });
  afterEach(() => fixture.app.close());

  it('lists the tenant\'s runs waiting for review, oldest first, with question, group and deadline', async () => {
    const inbox = await browser.get('/review/inbox');
    expect(inbox.status).toBe(200);
    expect(fixture.client.calls[0]).toEqual({ method: 'listReviews', args: [{ tenant: 'acme', limit: 50 }] });
    const listed = [...inbox.body.matchAll(/<a href="\/review\/runs\/([^"]+)">/g)].map((match) => match[1]);
    expect(listed).toEqual(['answer~acme~r1', 'answer~acme~lead', 'answer~acme~r2', 'answer~acme~stuck']);
    expect(inbox.body).not.toContain('globex');
    expect(inbox.body).not.toContain('squat');
    expect(inbox.body).toContain('How does Sluice survive a worker crash &lt;b&gt;mid-answer&lt;/b&gt;?');
    expect(inbox.body).toContain('1970-01-01 01:16 UTC');
    expect(inbox.body).toContain('in 60 minutes');
    expect(inbox.body).toContain('4 runs waiting, oldest first');
    expect(inbox.body).toContain('(not available)');
  });

  it('keeps a key limited to reviewer groups to those groups', async () => {
    await signIn('supportReviewer');
    fixture.client.calls.length = 0;
    const inbox = await browser.get('/review/inbox');
    expect(fixture.client.calls[0]).toEqual({
      method: 'listReviews', args: [{ tenant: 'acme', limit: 50, group: 'support' }],
    });
    expect(inbox.body).toContain('answer~acme~r1');
    // Escalated away from support since it was listed, and listed under leads.
    expect(inbox.body).not.toContain('answer~acme~lead');
    expect(inbox.body).not.toContain('answer~acme~stuck');
    expect((await browser.get('/review/runs/answer~acme~lead')).status).toBe(404);
  });

  it('shows another tenant\'s reviewer its own runs only', async () => {
    await signIn('otherTenant');
    views.set('answer~globex~g1', { ...view, tenant: 'globex', question: 'Globex question' });
    unanswering.clear();
    const inbox = await browser.get('/review/inbox');
    expect(inbox.body).toContain('Globex question');
    expect(inbox.body).not.toContain('answer~acme');
    // A run gone since it was listed is not listed.
    views.delete('answer~globex~g1');
    expect((await browser.get('/review/inbox')).body).toContain('Nothing is waiting for review.');
  });

  it('shows a run with its question, draft, numbered sources, findings, scores and deadline', async () => {
    const page = await browser.get('/review/runs/answer~acme~r1');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Review <span class="id">answer~acme~r1</span></h1>');
    expect(page.body).toContain(`<blockquote class="text">${question.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    expect(page.body).toContain('The run resumes on another worker, which replays the history [1].</div>');
    expect(page.body).toMatch(/<li value="1">\s*<p class="source-title"><strong>\[1\] Durability<\/strong>/);
    expect(page.body).toContain('A worker that dies mid-run is replaced; the history is replayed.');
    expect(page.body).toMatch(/<td>groundedness<\/td>\s*<td>review<\/td>\s*<td><ul><li>claim 2 is not supported/);
    expect(page.body).toContain('<td>0.62</td>');
    expect(page.body).toContain('1970-01-01 01:16 UTC (in 60 minutes)');
    // The edit box starts with the draft; reject needs a reason; each form has a CSRF token.
    expect(page.body).toMatch(/<textarea id="edit-text" name="text"[^>]*>\nThe run resumes/);
    expect(page.body).toMatch(/<textarea id="reject-reason" name="reason" rows="3" required/);
    expect(page.body.match(/name="csrf" value="[A-Za-z0-9_-]{43}"/g)).toHaveLength(4);
  });

  it('answers 404 alike for another tenant\'s run, a squatted id, another group, and a missing run', async () => {
    views.set('answer~acme~squatted', { ...view, tenant: 'globex' });
    views.set('answer~acme~plain', { ...view, state: 'not_in_review' });
    for (const workflowId of [
      'answer~globex~g1', 'answer~acme~squatted', 'answer~acme~nope', 'answer~acme~plain', 'ingest~acme~r1',
    ]) {
      const page = await browser.get(`/review/runs/${workflowId}`);
      expect(page.status).toBe(404);
      expect(page.body).toContain(`no run has the workflow id ${workflowId}`);
      expect(page.headers['content-security-policy']).toContain('default-src \'none\'');
    }
    // Another tenant's id is refused before any lookup.
    expect(fixture.client.calls.filter((call) => call.args[0] === 'answer~globex~g1')).toEqual([]);
    // A decision on it is refused the same way, and reaches no run.
    const csrf = csrfOf((await browser.get('/review/runs/answer~acme~r1')).body, decisionUrl('answer~acme~r1'));
    expect((await browser.post(decisionUrl('answer~globex~g1'), { csrf, decision: 'approve' })).status).toBe(403);
    expect(decideCalls()).toEqual([]);
  });

  it('approves with the key\'s name as reviewer, then shows "approved …" once on the inbox', async () => {
    const approved = await decide('answer~acme~r1', { decision: 'approve', note: 'checked' });
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe('/review/inbox');
    expect(decideCalls()).toEqual([{
      method: 'decideReview', args: ['answer~acme~r1', { decision: 'approve', reviewer: 'rita', note: 'checked' }],
    }]);
    expect((await browser.get('/review/inbox')).body)
      .toMatch(/<p class="message success" role="status">approved answer~acme~r1<\/p>/);
    expect((await browser.get('/review/inbox')).body).not.toContain('approved answer~acme~r1');
  });

  it('sends an edit with the reviewer\'s text, and a rejection only with a reason', async () => {
    expect((await decide('answer~acme~r1', { decision: 'edit', text: '  Shorter answer [1].  ' })).status).toBe(303);
    expect((await browser.get('/review/inbox')).body).toContain('approved answer~acme~r1 with your edits');
    const noReason = await decide('answer~acme~r2', { decision: 'reject', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('Not taken: Give a reason for rejecting.');
    expect((await decide('answer~acme~r2', { decision: 'reject', reason: 'wrong release' })).status).toBe(303);
    expect(decideCalls().map((call) => call.args[1])).toEqual([
      { decision: 'edit', reviewer: 'rita', text: 'Shorter answer [1].' },
      { decision: 'reject', reviewer: 'rita', reason: 'wrong release' },
    ]);
  });

  it('refuses a decision without its form\'s CSRF token, or with another run\'s or session\'s', async () => {
    const page = await browser.get('/review/runs/answer~acme~r1');
    const csrf = csrfOf(page.body, decisionUrl('answer~acme~r1'));
    expect((await browser.post(decisionUrl('answer~acme~r1'), { decision: 'approve' })).status).toBe(403);
    const otherRun = await browser.post(decisionUrl('answer~acme~r2'), { csrf, decision: 'approve' });
    expect(otherRun.status).toBe(403);
    expect(otherRun.body).toContain('This form has expired or was not sent from this page.');
    const first = browser;
    await signIn();
    expect((await browser.post(decisionUrl('answer~acme~r1'), { csrf, decision: 'approve' })).status).toBe(403);
    expect(decideCalls()).toEqual([]);
    expect((await first.post(decisionUrl('answer~acme~r1'), { csrf, decision: 'approve' })).status).toBe(303);
  });

  it('shows a refusal on the page, keeping the reviewer\'s text, without a stack trace', async () => {
    fixture.client.handlers.decideReview = async (workflowId) => {
      throw new ReviewRefusedError(`${workflowId}: edit refused by the output gates: pii-leak (email)`);
    };
    const refused = await decide('answer~acme~r1', { decision: 'edit', text: 'Mail <jane@example.org>' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatch(/role="alert">Not taken: edit refused by the output gates: pii-leak \(email\)</);
    expect(refused.body).toContain('>\nMail &lt;jane@example.org&gt;</textarea>');
    expect(refused.body).not.toMatch(/\n\s+at /);
  });

  it('answers an unexpected failure with the request id only, and logs it without the reviewer\'s text', async () => {
    const text = 'A secret edit that must not be logged';
    fixture.client.handlers.decideReview = async () => {
      throw new Error(`boom while sending ${text}`);
    };
    const failed = await decide('answer~acme~r1', { decision: 'edit', text });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatch(/internal error; quote request id [0-9a-f-]{36}/);
    expect(failed.body).not.toContain(text);
    expect(fixture.logText()).toContain('reviewer page failed');
    expect(fixture.logText()).not.toContain(text);
    expect(fixture.logText()).not.toContain(question);
  });

  it('takes only UTF-8 form bodies, and answers unknown pages with an HTML 404', async () => {
    const page = await browser.get('/review/runs/answer~acme~r1');
    const csrf = csrfOf(page.body, decisionUrl('answer~acme~r1'));
    const url = decisionUrl('answer~acme~r1');
    const json = await browser.send('POST', url, JSON.stringify({ csrf }), 'application/json');
    expect(json.status).toBe(415);
    expect(json.headers['content-type']).toBe('text/html; charset=utf-8');
    const latin1 = await browser.send('POST', decisionUrl('answer~acme~r1'), `csrf=${csrf}&decision=edit&text=caf%E9`,
      'application/x-www-form-urlencoded');
    expect(latin1.status).toBe(400);
    expect(decideCalls()).toEqual([]);
    const missing = await browser.get('/review/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('There is no page at this address.');
  });
});
