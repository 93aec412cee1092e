import { GroundednessGate } from '../../../../activities/gates/output/groundedness-gate';
import { composeExtractiveAnswer } from '../../../../activities/models/extractive-answer';
import {
  claimSupport, evidenceByMarker, judgeDraftOffline, judgeWeights,
} from '../../../../activities/review/offline-judge';
import { judgeResultSchema } from '../../../../contracts/refinement';
import { citationOf, goodDraft, judgeInput, passages, question, weakDraft } from './fixtures';

const twoCitations = [citationOf(1, 0), citationOf(2, 1)];

describe('judgeDraftOffline', () => {
  it('scores a grounded draft that answers the whole question high, with no claim to fix', () => {
    const result = judgeDraftOffline(judgeInput(goodDraft, twoCitations));
    expect(judgeResultSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({ judge: 'offline', scores: { groundedness: 1, rubric: 1 } });
    expect(result.scores.coverage).toBeGreaterThanOrEqual(0.8);
    expect(result.scores.overall).toBeGreaterThanOrEqual(0.9);
    // Only the word the passages never use is left uncovered.
    expect(result.critique).toEqual(["the question's term survive is not covered"]);
  });

  it('scores an unsupported claim and an uncovered question lower, and says which', () => {
    const good = judgeDraftOffline(judgeInput(goodDraft, twoCitations));
    const weak = judgeDraftOffline(judgeInput(weakDraft, twoCitations));
    expect(weak.scores.groundedness).toBe(0.5);
    expect(weak.scores.coverage).toBeLessThan(good.scores.coverage);
    expect(weak.scores.overall).toBeLessThan(good.scores.overall);
    expect(weak.critique).toEqual([
      'claim 2 is not supported by passage [2]: "Sluice keeps a copy of every answer in a blockchain ledge..."',
      "the question's terms survive, crash, failed, activities, retried are not covered",
    ]);
  });

  it('names claims that cite nothing retrieved or nothing at all', () => {
    const draft = 'Another worker replays the history of the workflow. [7] '
      + 'The billing engine runs on quantum hardware in Antarctica.';
    const result = judgeDraftOffline(judgeInput(draft, [citationOf(1, 0)]));
    expect(result.critique.slice(0, 2)).toEqual([
      'claim 1 cites [7], which is not a retrieved passage',
      'claim 2 is not supported by any passage: "The billing engine runs on quantum hardware in Antarctica."',
    ]);
  });

  it('computes groundedness exactly as the groundedness gate does', () => {
    const gate = new GroundednessGate({ claimSupport, minScore: 0.6, action: 'review' });
    const drafts = [
      goodDraft, weakDraft, 'Hello. Another worker replays the history. Quantum billing engines run in Antarctica. [2]',
      'Bad input and policy violations are non-retryable failures. [1] Replays rebuild state. [9]',
    ];
    for (const draft of drafts) {
      const evidence = [...evidenceByMarker(twoCitations, passages)].map(([marker, text]) => ({ marker, text }));
      const expected = gate.check(draft, { tenant: 'acme', feature: 'support', evidence }).scores.groundedness;
      expect(judgeDraftOffline(judgeInput(draft, twoCitations)).scores.groundedness).toBe(expected);
    }
  });

  it('reads markers through the citations, as the extractive answer numbers them', () => {
    // Reversed, the cited passage sits last, while the extractive answer still calls it [1].
    const reversed = [...passages].reverse();
    const answer = composeExtractiveAnswer(question, reversed);
    expect(answer.citations[0]).toMatchObject({ marker: 1, documentId: 'durability.md', chunkIndex: 0 });
    const result = judgeDraftOffline({ ...judgeInput(answer.text, answer.citations), passages: reversed });
    expect(result.scores.groundedness).toBe(1);
  });

  it('scores the rubric by keywords, case-insensitively, counting keyword-less criteria as met', () => {
    const rubric = [
      { criterion: 'mentions backoff', keywords: ['Exponential BACKOFF'] },
      { criterion: 'names the product', keywords: ['SLUICE'] },
      { criterion: 'names the deadline', keywords: ['deadline', 'time limit'] },
      { criterion: 'friendly tone', keywords: [] },
    ];
    const result = judgeDraftOffline(judgeInput(goodDraft, twoCitations, rubric));
    expect(result.scores.rubric).toBe(0.75);
    expect(result.critique).toContain('rubric: names the deadline not met (mention any of: deadline, time limit)');
    expect(result.critique.filter((line) => line.startsWith('rubric:'))).toHaveLength(1);
    expect(judgeDraftOffline(judgeInput(goodDraft, twoCitations, [])).scores.rubric).toBe(1);
  });

  it('weighs the overall score as documented', () => {
    const rubric = [{ criterion: 'names the deadline', keywords: ['deadline'] }];
    const { scores } = judgeDraftOffline(judgeInput(weakDraft, twoCitations, rubric));
    const expected = judgeWeights.groundedness * scores.groundedness + judgeWeights.coverage * scores.coverage
      + judgeWeights.rubric * scores.rubric;
    expect(scores.overall).toBeCloseTo(expected, 3);
    expect(judgeWeights.groundedness + judgeWeights.coverage + judgeWeights.rubric).toBeCloseTo(1, 10);
  });

  it('gives an empty draft nothing, however vacuous its groundedness', () => {
    expect(judgeDraftOffline(judgeInput('  ', []))).toEqual({
      scores: { groundedness: 0, coverage: 0, rubric: 0, overall: 0 },
      critique: ['the draft is empty'],
      judge: 'offline',
    });
  });

  it('neither counts nor names PII placeholders and numbers from the question', () => {
    const input = {
      ...judgeInput('Another worker replays the history. [1]', [citationOf(1, 0)]),
      question: 'Why was [EMAIL_1] charged twice on invoice 4417?',
    };
    const result = judgeDraftOffline(input);
    expect(result.critique).toContain("the question's terms charged, twice, invoice (and 1 more) are not covered");
    expect(result.critique.join('\n')).not.toMatch(/email|4417/i);
  });

  it('is deterministic and leaves its input alone', () => {
    const input = judgeInput(weakDraft, twoCitations, [{ criterion: 'backoff', keywords: ['backoff'] }]);
    const copy = structuredClone(input);
    expect(judgeDraftOffline(input)).toEqual(judgeDraftOffline(copy));
    expect(input).toEqual(copy);
  });
});
