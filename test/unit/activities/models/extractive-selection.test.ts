import { composeExtractiveAnswer } from '../../../../activities/models/extractive-answer';
import { verbLemma } from '../../../../activities/models/verb-lemmas';
import type { ScoredChunk } from '../../../../contracts/retrieval';

const passage = (id: string, text: string): ScoredChunk => ({
  id, tenant: 't', documentId: `${id}.md`, chunkIndex: 0, title: id, source: `${id}.md`, text, score: 0.5,
});
const firstSentence = (question: string, passages: ScoredChunk[]) =>
  composeExtractiveAnswer(question, passages, { maxSentences: 1 }).text.replace(/ \[\d+\]$/, '');

describe('extractive answer selection', () => {
  it('quotes a name with a middle initial whole', () => {
    const bridge = passage('bridge',
      'The John W. Weeks Bridge is a footbridge over the Charles River. It links Harvard to Allston.');
    expect(firstSentence('What footbridge crosses the Charles River?', [bridge]))
      .toBe('The John W. Weeks Bridge is a footbridge over the Charles River.');
  });

  it('prefers the sentence holding the kind of answer asked for over one that matches as well', () => {
    const program = passage('program', 'The lunar program was approved by the agency board. '
      + 'The lunar program was approved in 1961.');
    expect(firstSentence('When was the lunar program approved?', [program]))
      .toBe('The lunar program was approved in 1961.');
    const crew = passage('crew', 'The mission crew trained for the station. The mission crew numbered seven.');
    expect(firstSentence('How many astronauts were in the mission crew?', [crew]))
      .toBe('The mission crew numbered seven.');
    const founder = passage('founder', 'The trading company was founded after the war. '
      + 'The trading company was founded by Jan Pieterszoon Coen.');
    expect(firstSentence('Who founded the trading company?', [founder])).toMatch(/Coen/);
  });

  it('matches an irregular past form to the verb the question asks with', () => {
    const survey = passage('survey', 'The survey employed 40 clerks at the coastal office. '
      + 'The survey ran from 1821 to 1834.');
    expect(firstSentence('How long did the survey run?', [survey])).toBe('The survey ran from 1821 to 1834.');
    expect(verbLemma('ran')).toBe('run');
    expect(verbLemma('fought')).toBe('fight');
    // Forms that are more often other words stay as they are.
    expect(verbLemma('left')).toBe('left');
    expect(verbLemma('runs')).toBe('runs');
  });

  it('weighs rare question terms over common ones', () => {
    const text = passage('ships',
      'The harbour held many ships in the harbour season. Frigates guarded the harbour entrance at night.');
    expect(firstSentence('Which frigates guarded the harbour?', [text]))
      .toBe('Frigates guarded the harbour entrance at night.');
  });

  it('prefers the higher-ranked passage when two sentences match alike', () => {
    const first = passage('first', 'The treaty of the northern ports was signed by both kingdoms.');
    const second = passage('second', 'The treaty of the northern ports was signed by the two kingdoms.');
    const answer = composeExtractiveAnswer('Who signed the treaty of the northern ports?', [first, second]);
    expect(answer.citations[0]!.documentId).toBe('first.md');
  });
});
