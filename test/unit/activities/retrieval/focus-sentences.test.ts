import { elisionMark, focusOnQuestion } from '../../../../activities/retrieval/focus-sentences';
import { splitSentences } from '../../../../activities/split-sentences';

// Trimming within a passage: the sentences nearest the question stay, in order, with each gap marked.

const passage = [
  'Victoria is a state in the south-east of Australia.',
  'Its capital is Melbourne, the second largest city in the country.',
  'The state was divided into eight electorates for the Legislative Council.',
  'Each electorate elected five representatives by Single Transferable Vote.',
  'Victoria has a temperate climate with four seasons.',
].join(' ');
const question = 'How many electorates was the State of Victoria divided into?';

describe('focusOnQuestion', () => {
  it('keeps the sentence that answers the question, marking the cut on each side', () => {
    const focused = focusOnQuestion(question, [passage], 1)(passage);
    expect(focused).toEqual({
      text: `${elisionMark} The state was divided into eight electorates for the Legislative Council. ${elisionMark}`,
      elided: 4,
    });
  });

  it('keeps sentences in passage order, with one mark per gap', () => {
    const text = focusOnQuestion('Which city is the capital, and how were representatives elected?', [passage], 2)(
      passage);
    expect(text.text).toBe([
      elisionMark, 'Its capital is Melbourne, the second largest city in the country.', elisionMark,
      'Each electorate elected five representatives by Single Transferable Vote.', elisionMark,
    ].join(' '));
    expect(text.elided).toBe(3);
  });

  it('weighs a rare question word over one most sentences share', () => {
    // Each sentence shares two words with the question, but "state" and "Victoria" are in most of the set's.
    const text = 'The state of Victoria is in Australia. Victoria has a state parliament. Rainfall is highest in ' +
      'Gippsland.';
    const other = 'Victoria is the second most populous state.';
    const focused = focusOnQuestion('Where in the state of Victoria is rainfall highest?', [text, other], 1)(text);
    expect(focused.text).toBe(`${elisionMark} Rainfall is highest in Gippsland.`);
  });

  it('stems, so a plural or another tense still matches', () => {
    const focused = focusOnQuestion('Who elects the representative?', [passage], 1)(passage);
    expect(focused.text).toContain('Single Transferable Vote');
  });

  it('keeps the lead when nothing matches, and a short passage as it was', () => {
    expect(focusOnQuestion('Who painted the Mona Lisa?', [passage], 1)(passage).text)
      .toBe(`Victoria is a state in the south-east of Australia. ${elisionMark}`);
    const short = 'One sentence.\n\nAnd   another.';
    expect(focusOnQuestion(question, [short], 2)(short)).toEqual({ text: short, elided: 0 });
  });

  it('leaves every kept sentence a sentence of its own for a splitter', () => {
    // "capital" and "climate" are in one sentence each; of the two "electorate" ones the earlier stays.
    const focused = focusOnQuestion('capital electorates climate', [passage], 3)(passage);
    expect(splitSentences(focused.text)).toEqual([
      elisionMark,
      'Its capital is Melbourne, the second largest city in the country.',
      `The state was divided into eight electorates for the Legislative Council. ${elisionMark}`,
      'Victoria has a temperate climate with four seasons.',
    ]);
  });
});
