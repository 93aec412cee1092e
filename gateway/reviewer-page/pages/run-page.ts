import type { ReviewView } from '../../../contracts/review';
import { html, type SafeHtml } from '../html';
import { formatScore, formatTime, timeUntil } from './format';
import { runPath } from './inbox-page';
import { layout, type SignedInHeader } from './layout';

// One run waiting for review: everything the reviewer needs to decide (why it waits, the
// question, the draft, each numbered source with its passage, the gates' findings, the judge's
// scores, the deadline) and three forms: approve, approve with edits, reject.

/** What the reviewer sent last, shown again when the run refused it. */
export interface DecisionFormValues {
  decision?: string;
  note?: string;
  text?: string;
  reason?: string;
}

export interface RunPageOptions {
  reviewer: SignedInHeader;
  workflowId: string;
  view: ReviewView;
  now: number;
  /** The CSRF token of the decision forms. */
  csrf: string;
  /** Why the last decision was not taken. */
  refusal?: string;
  values?: DecisionFormValues;
}

function facts(view: ReviewView, now: number): SafeHtml {
  return html`<dl class="facts">
<dt>Group</dt><dd>${view.group ?? '—'}${view.escalated ? html` <span class="tag">escalated</span>` : ''}</dd>
<dt>Deadline</dt><dd>${view.deadline
    ? html`${formatTime(view.deadline)} (${timeUntil(view.deadline, now)})` : '—'}</dd>
<dt>Requested by</dt><dd>${view.requestedBy ?? '—'}</dd>
<dt>Feature</dt><dd>${view.feature}</dd>
<dt>Why it waits</dt><dd>${view.reasons.length
    ? html`<ul>${view.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>` : '—'}</dd>
</dl>`;
}

function sources(view: ReviewView): SafeHtml {
  if (view.citations.length === 0) return html`<p>The draft cites no sources.</p>`;
  return html`<ol class="sources">
${view.citations.map((citation) => html`<li value="${citation.marker}">
<p class="source-title"><strong>[${citation.marker}] ${citation.title}</strong>
<span class="muted">${citation.source} · passage ${citation.chunkIndex + 1} ·
score ${formatScore(citation.score)}</span></p>
<blockquote class="passage">${citation.passage}</blockquote>
</li>`)}
</ol>`;
}

function findings(view: ReviewView): SafeHtml {
  if (view.gateDecisions.length === 0) return html`<p>No gate findings.</p>`;
  return html`<table>
<caption>What each gate decided</caption>
<thead><tr><th scope="col">Gate</th><th scope="col">Action</th><th scope="col">Reasons</th></tr></thead>
<tbody>
${view.gateDecisions.map((decision) => html`<tr><td>${decision.gate}</td>
<td>${decision.action}${decision.unchecked ? ' (not checked: the gate could not run)' : ''}</td>
<td>${decision.reasons.length
    ? html`<ul>${decision.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>` : '—'}</td>
</tr>`)}
</tbody>
</table>`;
}

function judge(view: ReviewView): SafeHtml | '' {
  if (!view.judge) return '';
  const { groundedness, coverage, rubric, overall } = view.judge;
  return html`<section aria-labelledby="judge"><h2 id="judge">Judge scores</h2>
<table><caption>From 0 (poor) to 1 (good)</caption>
<thead><tr><th scope="col">Groundedness</th><th scope="col">Coverage</th><th scope="col">Rubric</th>
<th scope="col">Overall</th></tr></thead>
<tbody><tr><td>${formatScore(groundedness)}</td><td>${formatScore(coverage)}</td><td>${formatScore(rubric)}</td>
<td>${formatScore(overall)}</td></tr></tbody></table></section>`;
}

function decisionForms(options: RunPageOptions): SafeHtml {
  const { workflowId, view, csrf, values = {} } = options;
  const action = `${runPath(workflowId)}/decision`;
  const mine = (decision: string) => (values.decision === decision ? values : {});
  const hidden = (decision: string) => html`<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="decision" value="${decision}">`;
  // The newline after <textarea> keeps a draft that starts with a blank line intact (HTML drops the first one).
  return html`<section aria-labelledby="decide"><h2 id="decide">Decide</h2>
${options.refusal ? html`<p class="message error" role="alert">Not taken: ${options.refusal}</p>` : ''}
<form method="post" action="${action}" class="card">
<fieldset><legend>Approve the draft as it is</legend>
${hidden('approve')}
<p><label for="approve-note">Note (optional)</label>
<input id="approve-note" name="note" type="text" maxlength="2000" value="${mine('approve').note ?? ''}"></p>
<p><button type="submit">Approve</button></p>
</fieldset></form>
<form method="post" action="${action}" class="card">
<fieldset><legend>Edit, then approve</legend>
${hidden('edit')}
<p><label for="edit-text">Answer to release</label>
<textarea id="edit-text" name="text" rows="10" required maxlength="20000" aria-describedby="edit-help">
${mine('edit').text ?? view.draft ?? ''}</textarea></p>
<p id="edit-help" class="help">Your text is checked by the output gates again before it is released.</p>
<p><label for="edit-note">Note (optional)</label>
<input id="edit-note" name="note" type="text" maxlength="2000" value="${mine('edit').note ?? ''}"></p>
<p><button type="submit">Approve with edits</button></p>
</fieldset></form>
<form method="post" action="${action}" class="card">
<fieldset><legend>Reject: the draft is withheld</legend>
${hidden('reject')}
<p><label for="reject-reason">Reason (required)</label>
<textarea id="reject-reason" name="reason" rows="3" required maxlength="2000">
${mine('reject').reason ?? ''}</textarea></p>
<p><button type="submit" class="danger">Reject</button></p>
</fieldset></form>
</section>`;
}

function decided(view: ReviewView): SafeHtml {
  const record = view.record;
  if (!record) return html`<section aria-labelledby="decide"><h2 id="decide">Being decided</h2></section>`;
  const who = record.reviewer ? html` by <strong>${record.reviewer}</strong>` : '';
  const why = record.reason ? html` — ${record.reason}` : '';
  return html`<section aria-labelledby="decide"><h2 id="decide">Decided</h2>
<p>${record.decision.replace('_', ' ')}${who} at ${formatTime(record.decidedAt)}${why}</p>
<p><a href="/review/inbox">Back to the reviews waiting for you</a></p>
</section>`;
}

export function runPage(options: RunPageOptions): SafeHtml {
  const { reviewer, workflowId, view, now } = options;
  const content = html`<h1>Review <span class="id">${workflowId}</span></h1>
${facts(view, now)}
<section aria-labelledby="question"><h2 id="question">Question</h2>
<blockquote class="text">${view.question ?? '(not recorded)'}</blockquote></section>
<section aria-labelledby="draft"><h2 id="draft">Draft answer</h2>
<div class="text draft">${view.draft ?? '(no draft)'}</div></section>
<section aria-labelledby="sources"><h2 id="sources">Sources</h2>
${sources(view)}</section>
<section aria-labelledby="findings"><h2 id="findings">Gate findings</h2>
${findings(view)}</section>
${judge(view)}
${view.state === 'pending' ? decisionForms(options) : decided(view)}
`;
  return layout({ title: `Review ${workflowId}`, reviewer }, content);
}
