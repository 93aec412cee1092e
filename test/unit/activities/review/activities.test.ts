import { ApplicationFailure } from '@temporalio/common';
import { createReviewActivities } from '../../../../activities/review/activities';
import { judgeDraftOffline } from '../../../../activities/review/offline-judge';
import { reviseDraftOffline } from '../../../../activities/review/offline-reviser';
import { errorTypes } from '../../../../contracts/error-types';
import type { JudgeInput, ReviseInput } from '../../../../contracts/refinement';
import { citationOf, judgeInput, passages, question, weakDraft } from './fixtures';

describe('createReviewActivities', () => {
  const activities = createReviewActivities();

  it('judges and revises offline', async () => {
    const input = judgeInput(weakDraft, [citationOf(1, 0), citationOf(2, 1)]);
    const verdict = await activities.judgeDraft(input);
    expect(verdict).toEqual(judgeDraftOffline(input));
    const revision: ReviseInput = {
      question, draft: weakDraft, citations: input.citations, passages, critique: verdict.critique, iteration: 1,
    };
    expect(await activities.reviseDraft(revision)).toEqual(reviseDraftOffline(revision));
  });

  it('fills rubric defaults before judging', async () => {
    const input = { ...judgeInput(weakDraft, []), rubric: [{ criterion: 'tone' }] } as unknown as JudgeInput;
    expect((await activities.judgeDraft(input)).scores.rubric).toBe(1);
  });

  it('fails bad input at once, without retries', async () => {
    const badJudge = { ...judgeInput(weakDraft, []), draft: 42 } as unknown as JudgeInput;
    const badRevision: ReviseInput = {
      question, draft: weakDraft, citations: [], passages, critique: [], iteration: 0,
    };
    for (const attempt of [() => activities.judgeDraft(badJudge), () => activities.reviseDraft(badRevision)]) {
      const failure = await attempt().then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: errorTypes.invalidInput, nonRetryable: true });
    }
    await expect(activities.judgeDraft(badJudge)).rejects.toThrow(/judgeDraft\.draft/);
    await expect(activities.reviseDraft(badRevision)).rejects.toThrow(/reviseDraft\.iteration/);
  });
});
