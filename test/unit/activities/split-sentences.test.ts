import { splitSentences } from '../../../activities/split-sentences';

describe('splitSentences', () => {
  it('keeps middle initials and runs of initials inside the sentence', () => {
    expect(splitSentences('The John W. Weeks Bridge crosses the Charles. It opened in 1927.')).toEqual([
      'The John W. Weeks Bridge crosses the Charles.', 'It opened in 1927.',
    ]);
    expect(splitSentences('J. R. R. Tolkien wrote it in Oxford. It sold well.')).toEqual([
      'J. R. R. Tolkien wrote it in Oxford.', 'It sold well.',
    ]);
  });

  it('reads a day written as an ordinal before a month name ("am 31. März") as part of the sentence', () => {
    expect(splitSentences('Resturlaub verfällt am 31. März des Folgejahres. Danach nicht mehr.')).toEqual([
      'Resturlaub verfällt am 31. März des Folgejahres.', 'Danach nicht mehr.',
    ]);
    expect(splitSentences('He finished 5. Jan Novak won.')).toEqual(['He finished 5.', 'Jan Novak won.']);
  });

  it('ends a sentence at a blank line: headings, list items, table rows and code blocks have no full stop', () => {
    // One line break inside a paragraph is only a space.
    expect(splitSentences('## Install it\n\nThen run\nit.\r\n \r\nSeats: Unlimited.\n\n© 2026 Example Inc.')).toEqual([
      '## Install it', 'Then run it.', 'Seats: Unlimited.', '© 2026 Example Inc.',
    ]);
  });

  it('does not end a sentence at a title, a dotted acronym or e.g. / i.e.', () => {
    const text = 'Mr. Smith met Dr. Jones at St. Paul\'s. The U.S. Army came, e.g. Gen. Grant, i.e. Ulysses. '
      + 'Then it ended.';
    expect(splitSentences(text)).toEqual([
      'Mr. Smith met Dr. Jones at St. Paul\'s.', 'The U.S. Army came, e.g. Gen. Grant, i.e. Ulysses.', 'Then it ended.',
    ]);
  });

  it('leaves decimals whole and ends sentences at !, ? and an ellipsis before a capital', () => {
    expect(splitSentences('Prices rose 3.5 percent... Then they fell! Why? Nobody knows.')).toEqual([
      'Prices rose 3.5 percent...', 'Then they fell!', 'Why?', 'Nobody knows.',
    ]);
    expect(splitSentences('It went on... and on. Done.')).toEqual(['It went on... and on.', 'Done.']);
  });

  it('ends a sentence after a closing quote or bracket and collapses white space', () => {
    expect(splitSentences('He said "stop." She left (see Fig. 3).\n\nNext  one.')).toEqual([
      'He said "stop."', 'She left (see Fig. 3).', 'Next one.',
    ]);
  });
});
