import { composeExtractiveAnswer } from '../../../../activities/models/extractive-answer';
import { judgeDraftOffline } from '../../../../activities/review/offline-judge';
import { reviseDraftOffline } from '../../../../activities/review/offline-reviser';
import { reviseResultSchema, type ReviseInput } from '../../../../contracts/refinement';
import type { Citation, ScoredChunk } from '../../../../contracts/retrieval';
import { citationOf, judgeInput, passages, question, weakDraft } from './fixtures';

const weakCitations = [citationOf(1, 0), citationOf(2, 1)];
/** A revision of a draft, with the offline judge's critique of it (on the same question and passages). */
function reviseInput(draft: string, citations: Citation[], overrides: Partial<ReviseInput> = {}): ReviseInput {
  const base = { question, draft, citations, passages, iteration: 1, ...overrides };
  const judged = { ...judgeInput(draft, citations), question: base.question, passages: base.passages };
  const critique = judgeDraftOffline(judged).critique;
  return { critique, ...base };
}

/** Every marker names a passage by position, and the citations are exactly the markers used. */
function expectValidCitations(text: string, citations: Citation[], retrieved: readonly ScoredChunk[] = passages): void {
  const markers = [...new Set([...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])))];
  expect(citations.map((citation) => citation.marker)).toEqual(markers);
  for (const citation of citations) {
    const passage = retrieved[citation.marker - 1]!;
    expect(passage).toBeDefined();
    const { documentId, chunkIndex, title, source, score } = passage;
    expect(citation).toMatchObject({ documentId, chunkIndex, title, source, score });
    expect(citation.quote).toBe(passage.text.length > 300 ? `${passage.text.slice(0, 297)}...` : passage.text);
  }
}

describe('reviseDraftOffline', () => {
  it('raises the judge score of a weak draft', () => {
    const before = judgeDraftOffline(judgeInput(weakDraft, weakCitations));
    const revised = reviseDraftOffline(reviseInput(weakDraft, weakCitations));
    const after = judgeDraftOffline(judgeInput(revised.text, revised.citations));
    expect(after.scores.overall).toBeGreaterThan(before.scores.overall);
    expect(after.scores.groundedness).toBe(1);
    expect(after.scores.coverage).toBeGreaterThan(before.scores.coverage);
    expect(reviseResultSchema.parse(revised)).toEqual(revised);
  });

  it('keeps supported sentences, drops the unsupported claim and cites passages by position', () => {
    const revised = reviseDraftOffline(reviseInput(weakDraft, weakCitations));
    expect(revised.text).toMatch(/^Another worker replays the history to rebuild the workflow's state\. \[1\] /);
    expect(revised.text).not.toMatch(/blockchain/);
    expectValidCitations(revised.text, revised.citations);
  });

  it('renumbers markers of an extractive answer to passage positions', () => {
    const reversed = [...passages].reverse();
    const answer = composeExtractiveAnswer(question, reversed);
    const revised = reviseDraftOffline({ ...reviseInput(answer.text, answer.citations), passages: reversed });
    // The extractive answer cites durability.md#0 as [1]; in the reversed list it is passage 4.
    const quoted = 'Activities that were running when the worker died are retried after their timeout.';
    expect(revised.text.startsWith(`${quoted} [4] `)).toBe(true);
    expectValidCitations(revised.text, revised.citations, reversed);
  });

  it('maps markers through the citations, keeping a claim that needs both its passages', () => {
    // Neither passage alone holds half of this claim's words; together they hold all but one.
    const draft = 'Another worker replays the history; exponential backoff handles rate limits. [1][2]';
    const reversed = [...passages].reverse();
    const revised = reviseDraftOffline({ ...reviseInput(draft, weakCitations), passages: reversed });
    expect(revised.text.startsWith(`${draft.replace(' [1][2]', '')} [3][4]`)).toBe(true);
    expectValidCitations(revised.text, revised.citations, reversed);
  });

  it('re-cites a supported claim that cites the wrong passage', () => {
    const draft = 'Rate limits and server errors are retried with exponential backoff. [1]';
    const revised = reviseDraftOffline(reviseInput(draft, [citationOf(1, 0)]));
    expect(revised.text).toMatch(/^Rate limits and server errors are retried with exponential backoff\. \[2\]/);
  });

  it('tries different passages on successive iterations of the same draft', () => {
    const before = judgeDraftOffline(judgeInput(weakDraft, weakCitations)).scores.overall;
    const revisions = [1, 2, 3]
      .map((iteration) => reviseDraftOffline(reviseInput(weakDraft, weakCitations, { iteration })));
    expect(new Set(revisions.map((revision) => revision.text)).size).toBe(3);
    for (const revision of revisions) {
      const { scores } = judgeDraftOffline(judgeInput(revision.text, revision.citations));
      expect(scores.groundedness).toBe(1);
      expect(scores.overall).toBeGreaterThan(before);
    }
  });

  it('reaches a fixed point as the loop runs, never lowering the score or emptying the draft', () => {
    let draft = weakDraft;
    let citations = weakCitations;
    let score = judgeDraftOffline(judgeInput(draft, citations)).scores.overall;
    let last: ReturnType<typeof reviseDraftOffline> | undefined;
    for (let iteration = 1; iteration <= 6; iteration++) {
      const critique = judgeDraftOffline(judgeInput(draft, citations)).critique;
      last = reviseDraftOffline({ question, draft, citations, passages, critique, iteration });
      const next = judgeDraftOffline(judgeInput(last.text, last.citations)).scores.overall;
      expect(next).toBeGreaterThanOrEqual(score);
      expect(last.text).not.toBe('');
      ({ text: draft, citations } = last);
      score = next;
    }
    const again = reviseDraftOffline({ ...reviseInput(draft, citations), iteration: 7 });
    expect(again).toEqual({ ...last, reviser: 'offline:supported-only' });
  });

  it('returns the supported sentences alone when the passages have nothing more to offer', () => {
    const draft = "Another worker replays the history to rebuild the workflow's state. [1] "
      + 'Sluice keeps a copy of every answer in a blockchain ledger. [1]';
    const revised = reviseDraftOffline(reviseInput(draft, [citationOf(1, 0)], {
      question: 'Which worker replays the history?', passages: [passages[0]!],
    }));
    expect(revised).toEqual({
      text: "Another worker replays the history to rebuild the workflow's state. [1]",
      citations: [citationOf(1, 0, `${passages[0]!.text.slice(0, 297)}...`)], reviser: 'offline:supported-only',
    });
  });

  it('returns an empty draft rather than keep claims nothing supports', () => {
    const revised = reviseDraftOffline(reviseInput('The billing engine runs on quantum hardware in Antarctica. [1]',
      [citationOf(1, 0)], { question: 'Where does photosynthesis happen?' }));
    expect(revised).toEqual({ text: '', citations: [], reviser: 'offline:supported-only' });
  });

  it('is deterministic', () => {
    const input = reviseInput(weakDraft, weakCitations, { iteration: 2 });
    expect(reviseDraftOffline(input)).toEqual(reviseDraftOffline(structuredClone(input)));
  });
});
