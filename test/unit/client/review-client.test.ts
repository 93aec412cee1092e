import { InvalidRequestError } from '../../../client/errors';
import { parseDecision, pendingReviewQuery } from '../../../client/review-client';
import { formatReview } from '../../../client/cli/print-review';

describe('the reviewers\' client', () => {
  it('lists runs waiting for review with the filter the Temporal UI takes', () => {
    expect(pendingReviewQuery()).toBe(
      "WorkflowType = 'answerWorkflow' AND ExecutionStatus = 'Running' AND SluiceStatus = 'pending_review'",
    );
    expect(pendingReviewQuery({ tenant: 'acme', group: 'support' })).toBe(
      "WorkflowType = 'answerWorkflow' AND ExecutionStatus = 'Running' AND SluiceStatus = 'pending_review'" +
        " AND SluiceTenant = 'acme' AND SluiceReviewGroup = 'support'",
    );
  });

  it('refuses a filter value that could change the query, naming the attribute', () => {
    expect(() => pendingReviewQuery({ tenant: "acme' OR '1'='1" })).toThrow(InvalidRequestError);
    expect(() => pendingReviewQuery({ group: 'a b' })).toThrow(/^SluiceReviewGroup: may contain only/);
  });

  it('names the field of a malformed decision before anything is sent', () => {
    expect(() => parseDecision({ decision: 'reject', reviewer: 'alice' })).toThrow(/^reason:/);
    expect(() => parseDecision({ decision: 'edit', reviewer: 'alice', text: '  ' }))
      .toThrow(/^text: must not be empty/);
    expect(() => parseDecision({ decision: 'approve', reviewer: 'alice', extra: 1 })).toThrow(InvalidRequestError);
    expect(parseDecision({ decision: 'approve', reviewer: 'alice' }))
      .toEqual({ decision: 'approve', reviewer: 'alice' });
  });

  it('shows a reviewer why the run waits, the draft, each passage and the deadline', () => {
    const text = formatReview('answer~acme~q1', {
      state: 'pending', tenant: 'acme', feature: 'qa', requestedBy: 'dave', group: 'support',
      deadline: '2026-11-28T10:00:00.000Z', escalated: false, reasons: ['route reviewed sends every answer to review'],
      question: 'I am [EMAIL_1]: how?', draft: 'It replays the history [1].',
      citations: [{
        marker: 1, documentId: 'durability.md', chunkIndex: 0, title: 'Durable execution', source: 'durability.md',
        score: 0.5, quote: 'It replays', passage: 'The worker replays the history.',
      }],
      gateDecisions: [{
        gate: 'groundedness', action: 'review', reasons: ['claim 2 is unsupported'], scores: {}, unchecked: false,
      }],
      judge: { groundedness: 1, coverage: 0.5, rubric: 1, overall: 0.85 },
    });
    expect(text.split('\n')).toEqual(expect.arrayContaining([
      'answer~acme~q1: pending (group support)', 'deadline: 2026-11-28T10:00:00.000Z', 'requested by: dave',
      'why: route reviewed sends every answer to review', '  I am [EMAIL_1]: how?', '  It replays the history [1].',
      '  [1] durability.md — Durable execution', '      The worker replays the history.',
      'judge: overall 0.85 (groundedness 1, coverage 0.5, rubric 1)',
      'gate groundedness: review (claim 2 is unsupported)',
    ]));
  });
});
