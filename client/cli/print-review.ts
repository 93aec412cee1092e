import type { ReviewRecord, ReviewView } from '../../contracts/review';
import type { PendingReview } from '../review-client';
import { formatTable } from './common';

/** A decision in one line: what, by whom, when, why. */
export function formatReviewRecord(record: ReviewRecord): string {
  const { decision, reviewer, decidedAt, note, reason } = record;
  return `${decision}${reviewer ? ` by ${reviewer}` : ''} at ${decidedAt}${reason ? ` — ${reason}` : ''}` +
    `${note ? ` (note: ${note})` : ''}`;
}

/** One line per run waiting for review, with a header. */
export function formatPendingReviews(reviews: readonly PendingReview[]): string {
  if (reviews.length === 0) return 'no run is waiting for review';
  const rows = reviews.map((review) => [
    review.workflowId, review.tenant ?? '', review.group ?? '', review.promptVersion ?? '',
    review.startedAt.toISOString(),
  ]);
  const header = ['WORKFLOW ID', 'TENANT', 'GROUP', 'PROMPT', 'STARTED'];
  return formatTable(header, rows);
}

/** What a reviewer reads before deciding: why, question, draft, sources, findings, deadline. */
export function formatReview(workflowId: string, view: ReviewView): string {
  const lines = [
    `${workflowId}: ${view.state}${view.group ? ` (group ${view.group}${view.escalated ? ', escalated' : ''})` : ''}`,
  ];
  if (view.deadline) lines.push(`deadline: ${view.deadline}`);
  if (view.requestedBy) lines.push(`requested by: ${view.requestedBy}`);
  for (const reason of view.reasons) lines.push(`why: ${reason}`);
  if (view.question !== undefined) lines.push('', 'Question (redacted):', `  ${view.question}`);
  if (view.draft !== undefined) lines.push('', 'Draft:', ...view.draft.split('\n').map((text) => `  ${text}`));
  if (view.citations.length) {
    lines.push('', 'Sources:');
    for (const citation of view.citations) {
      const passage = citation.passage.length > 400 ? `${citation.passage.slice(0, 397)}...` : citation.passage;
      lines.push(
        `  [${citation.marker}] ${citation.source} — ${citation.title}`,
        `      ${passage.replace(/\s+/g, ' ')}`,
      );
    }
  }
  if (view.judge) {
    const { groundedness, coverage, rubric, overall } = view.judge;
    lines.push('', `judge: overall ${overall} (groundedness ${groundedness}, coverage ${coverage}, rubric ${rubric})`);
  }
  const flagged = view.gateDecisions.filter((decision) => decision.action !== 'allow');
  for (const decision of flagged) {
    lines.push(`gate ${decision.gate}: ${decision.action} (${decision.reasons.join('; ')})`);
  }
  if (view.record) {
    lines.push('', `decided: ${formatReviewRecord(view.record)}`);
  }
  return lines.join('\n');
}

/** The commands that decide a run, printed when `sluice ask` leaves one waiting. */
export function decideCommands(workflowId: string): string {
  return [
    `  sluice review show ${workflowId}`,
    `  sluice review approve ${workflowId} --reviewer <id>`,
    `  sluice review reject ${workflowId} --reviewer <id> --note <reason>`,
    `  sluice review edit ${workflowId} --reviewer <id> --text <answer>`,
  ].join('\n');
}
