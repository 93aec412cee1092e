import {
  allHandlersFinished, ApplicationFailure, condition, log, setCurrentDetails, setHandler,
} from '@temporalio/workflow';
import { formatZodError } from '../contracts/format-error';
import type { GateDecision } from '../contracts/gates';
import {
  anyReviewer, reviewDecisionSchema,
  type JudgeScores, type PinnedReviewPolicy, type ReviewDecision, type ReviewOutcome, type ReviewRecord,
  type ReviewView,
} from '../contracts/review';
import type { Citation } from '../contracts/retrieval';
import { workflowStatuses } from '../contracts/search-attributes';
import { reviewDecisionSignal, reviewDecisionUpdate, reviewStateQuery } from './messages';
import { markExecution } from './search-attributes';
import { recordReviewWait } from './workflow-metrics';

// Human review of one answer run. Decisions arrive as updates (validated: a refusal is answered
// to the caller and never enters history) or as signals (validated the same way; a refusal is
// logged). Waiting is a timer and a condition: a deadline either escalates once or auto-rejects.

/** Error type of an edit the output gates stopped; the run keeps waiting for another decision. */
const editRefusedErrorType = 'EditRefused';

/** What the reviewer is shown and decides on. */
export interface ReviewCase {
  question: string;
  draft: string;
  citations: (Citation & { passage: string })[];
  gateDecisions: GateDecision[];
  judge?: JudgeScores;
  reasons: string[];
}

/** Checks a reviewer's edit; returns the text to release, or the reasons it must not be released. */
export type EditCheck = (text: string) => Promise<{ text: string; refusals: string[] }>;

/** The decision a review ended with; `text` is the edited answer for an `edit`. */
export interface ReviewVerdict {
  record: ReviewRecord;
  text?: string;
}

type Phase = 'not_in_review' | 'pending' | 'deciding' | 'decided';

/** Review state of an answer run, with its handlers installed from the run's first task. */
export class ReviewDesk {
  private phase: Phase = 'not_in_review';
  private group?: string;
  private members: readonly string[] = [];
  private deadlineMs?: number;
  private escalated = false;
  private refusedEdits = 0;
  private reviewCase?: ReviewCase;
  private verdict?: ReviewVerdict;
  private checkEdit?: EditCheck;

  constructor(private readonly run: { tenant: string; feature: string; requestedBy?: string }) {
    setHandler(reviewStateQuery, () => this.view());
    setHandler(reviewDecisionUpdate, (raw) => this.decide(raw, 'update'), {
      validator: (raw) => {
        const refusal = this.refusal(raw);
        if (refusal) throw new Error(refusal);
      },
    });
    setHandler(reviewDecisionSignal, async (raw) => {
      const refusal = this.refusal(raw);
      if (refusal) {
        log.warn('review decision signal refused', { refusal });
        return;
      }
      try {
        await this.decide(raw, 'signal');
      } catch (error) {
        if (!(error instanceof ApplicationFailure && error.type === editRefusedErrorType)) throw error;
        log.warn('review edit signal refused by the output gates', { refusal: error.message });
      }
    });
  }

  /** Why a decision must be refused now, or undefined when it may be applied. */
  private refusal(raw: unknown): string | undefined {
    const parsed = reviewDecisionSchema.safeParse(raw);
    if (!parsed.success) return `invalid decision: ${formatZodError(parsed.error)}`;
    if (this.phase === 'not_in_review') return 'this run is not waiting for review';
    if (this.phase === 'deciding') return 'another decision on this run is being applied';
    if (this.phase === 'decided') {
      const record = this.verdict?.record;
      return `this run was already decided (${record?.decision ?? 'decided'}` +
        `${record?.reviewer ? ` by ${record.reviewer}` : ''})`;
    }
    const { reviewer } = parsed.data;
    if (this.run.requestedBy !== undefined && reviewer === this.run.requestedBy) {
      return 'a requester may not decide their own request';
    }
    if (!this.members.includes(anyReviewer) && !this.members.includes(reviewer)) {
      return `reviewer ${reviewer} is not in the reviewer group ${this.group ?? ''}`.trim();
    }
    return undefined;
  }

  /** Applies a valid decision; an edit first passes the output gates, else the run keeps waiting. */
  private async decide(raw: unknown, via: 'update' | 'signal'): Promise<ReviewOutcome> {
    const decision: ReviewDecision = reviewDecisionSchema.parse(raw);
    this.phase = 'deciding';
    let text: string | undefined;
    if (decision.decision === 'edit') {
      const checked = await this.checkEdit!(decision.text);
      if (checked.refusals.length > 0) {
        this.refusedEdits += 1;
        this.phase = 'pending';
        throw ApplicationFailure.create({
          type: editRefusedErrorType, nonRetryable: true,
          message: `edit refused by the output gates: ${checked.refusals.join('; ')}`,
        });
      }
      text = checked.text;
    }
    const record = this.record({
      decision: decision.decision, reviewer: decision.reviewer, via,
      ...(decision.note ? { note: decision.note } : {}),
      ...(decision.decision === 'reject' ? { reason: decision.reason } : {}),
    });
    this.verdict = { record, ...(text !== undefined ? { text } : {}) };
    this.phase = 'decided';
    return { record, status: decision.decision === 'reject' ? 'rejected' : 'released' };
  }

  private record(fields: Pick<ReviewRecord, 'decision' | 'via'> & Partial<ReviewRecord>): ReviewRecord {
    return {
      group: this.group ?? '', decidedAt: new Date().toISOString(), escalated: this.escalated,
      refusedEdits: this.refusedEdits, ...fields,
    };
  }

  private openFor(group: string, members: readonly string[], deadlineMs: number): void {
    this.group = group;
    this.members = members;
    this.deadlineMs = Date.now() + deadlineMs;
    markExecution({ status: workflowStatuses.pendingReview, reviewGroup: group });
    setCurrentDetails(`waiting for review by ${group} until ${new Date(this.deadlineMs).toISOString()}`);
  }

  /**
   * Puts the run in `pending_review` and waits for a decision. At the deadline the run escalates
   * once when the policy says so, then auto-rejects. A decision already being applied when the
   * deadline passes (an edit in its gates) is let finish: it began first.
   */
  async waitForDecision(
    reviewCase: ReviewCase, policy: PinnedReviewPolicy, checkEdit: EditCheck,
  ): Promise<ReviewVerdict> {
    this.reviewCase = reviewCase;
    this.checkEdit = checkEdit;
    this.openFor(policy.group, policy.members, policy.deadlineMs);
    const openedAt = Date.now();
    this.phase = 'pending';
    for (;;) {
      const decided = await condition(() => this.is('decided'), Math.max(1, this.deadlineMs! - Date.now()));
      if (decided) break;
      if (this.is('deciding')) await condition(() => !this.is('deciding'));
      if (this.is('decided')) break;
      const escalation = policy.escalation;
      if (escalation && !this.escalated) {
        this.escalated = true;
        this.openFor(escalation.group, escalation.members, escalation.deadlineMs);
        continue;
      }
      this.verdict = {
        record: this.record({ decision: 'auto_reject', via: 'deadline', reason: 'the review deadline passed' }),
      };
      this.phase = 'decided';
    }
    recordReviewWait(Date.now() - openedAt, this.verdict!.record.decision);
    // An update's reply is sent when its handler returns; finish them before the run completes.
    await condition(allHandlersFinished);
    return this.verdict!;
  }

  // A method, not a field comparison, so the compiler does not narrow the phase across awaits.
  private is(phase: Phase): boolean {
    return this.phase === phase;
  }

  private view(): ReviewView {
    const reviewCase = this.reviewCase;
    return {
      state: this.phase, tenant: this.run.tenant, feature: this.run.feature,
      ...(this.run.requestedBy ? { requestedBy: this.run.requestedBy } : {}),
      ...(this.group ? { group: this.group } : {}),
      ...(this.deadlineMs !== undefined ? { deadline: new Date(this.deadlineMs).toISOString() } : {}),
      escalated: this.escalated,
      reasons: reviewCase?.reasons ?? [],
      ...(reviewCase ? { question: reviewCase.question, draft: reviewCase.draft } : {}),
      citations: reviewCase?.citations ?? [],
      gateDecisions: reviewCase?.gateDecisions ?? [],
      ...(reviewCase?.judge ? { judge: reviewCase.judge } : {}),
      ...(this.verdict ? { record: this.verdict.record } : {}),
    };
  }
}
