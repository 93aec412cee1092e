import { html, type SafeHtml } from '../html';
import { excerpt, formatTime, timeUntil } from './format';
import { layout, type SignedInHeader } from './layout';

// The inbox: the runs of the reviewer's tenant and groups that wait for a decision, oldest first.

/** One run waiting for review, as the inbox lists it. */
export interface InboxEntry {
  workflowId: string;
  startedAt: Date;
  group?: string;
  /** ISO time of the deadline action. */
  deadline?: string;
  escalated?: boolean;
  /** The question as the model saw it (PII redacted). */
  question?: string;
}

export interface InboxPageOptions {
  reviewer: SignedInHeader;
  entries: readonly InboxEntry[];
  now: number;
  /** A one-time message from the page before ("approved …"). */
  flash?: string;
}

/** The link to a run's review page. */
export const runPath = (workflowId: string): string => `/review/runs/${encodeURIComponent(workflowId)}`;

function row(entry: InboxEntry, now: number): SafeHtml {
  return html`<tr>
<td><a href="${runPath(entry.workflowId)}">${entry.workflowId}</a></td>
<td>${entry.question !== undefined ? excerpt(entry.question)
    : html`<span class="muted">(not available)</span>`}</td>
<td>${entry.group ?? '—'}${entry.escalated ? html` <span class="tag">escalated</span>` : ''}</td>
<td>${formatTime(entry.startedAt)}</td>
<td>${entry.deadline
    ? html`${formatTime(entry.deadline)} <span class="muted">(${timeUntil(entry.deadline, now)})</span>` : '—'}</td>
</tr>`;
}

export function inboxPage({ reviewer, entries, now, flash }: InboxPageOptions): SafeHtml {
  return layout({ title: 'Reviews waiting', reviewer }, html`<h1>Reviews waiting for you</h1>
${flash ? html`<p class="message success" role="status">${flash}</p>` : ''}
${entries.length === 0 ? html`<p>Nothing is waiting for review.</p>` : html`<table>
<caption>${entries.length} run${entries.length === 1 ? '' : 's'} waiting, oldest first</caption>
<thead><tr><th scope="col">Run</th><th scope="col">Question</th><th scope="col">Group</th>
<th scope="col">Waiting since</th><th scope="col">Deadline</th></tr></thead>
<tbody>
${entries.map((entry) => row(entry, now))}
</tbody>
</table>`}
`);
}
