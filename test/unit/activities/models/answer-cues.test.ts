import { answerKindOf, hasAnswerCue, questionWordsOf } from '../../../../activities/models/answer-cues';

describe('answer cues', () => {
  it('reads the kind of answer from the question wording', () => {
    expect(answerKindOf('When did the program end?')).toBe('time');
    expect(answerKindOf('In what year was it announced?')).toBe('time');
    expect(answerKindOf('How many years did it run?')).toBe('number');
    expect(answerKindOf('What percentage of people are Catholic?')).toBe('number');
    expect(answerKindOf('Who was the second commander?')).toBe('person');
    expect(answerKindOf('Where was the treaty signed?')).toBe('place');
    expect(answerKindOf('Which city hosted the games?')).toBe('place');
    expect(answerKindOf('What is the capital used for?')).toBe('other');
    expect(answerKindOf('What was the name of the trade agreement?')).toBe('name');
    expect(answerKindOf("What was the English title of the admiral's memoir?")).toBe('name');
    expect(answerKindOf('What was the fortress called?')).toBe('name');
  });

  it('takes a proper name the question does not say as the answer to a name or title question', () => {
    const words = questionWordsOf('What was the name of the trade agreement?');
    expect(hasAnswerCue('name', 'In 1840 the ports signed the Treaty of Lendrum.', words)).toBe(true);
    expect(hasAnswerCue('name', 'The trade agreement lowered duties on grain.', words)).toBe(false);
  });

  it('answers opening-hours questions with weekdays and clock times, and reads an era only beside a number', () => {
    expect(answerKindOf('What are your support hours?')).toBe('time');
    const words = questionWordsOf('When is support available?');
    expect(hasAnswerCue('time', 'Our team works Monday to Friday, 8:00 to 18:00 CET.', words)).toBe(true);
    expect(hasAnswerCue('time', 'Emergencies are answered 24/7.', words)).toBe(true);
    expect(hasAnswerCue('time', 'Supported providers include Okta and Azure AD.', words)).toBe(false);
    expect(hasAnswerCue('time', 'The city was founded in 753 BC.', words)).toBe(true);
  });

  it('counts only what the question does not already say', () => {
    const question = 'When did Apollo 11 land?';
    const words = questionWordsOf(question);
    expect(hasAnswerCue('time', 'Apollo 11 landed in July 1969.', words)).toBe(true);
    expect(hasAnswerCue('time', 'Apollo 11 carried three astronauts.', words)).toBe(false);
    expect(hasAnswerCue('number', 'Apollo 11 carried three astronauts.', questionWordsOf('How many flew?'))).toBe(true);
    // A capital at the start of the sentence is not a name.
    expect(hasAnswerCue('person', 'Later the crew returned.', questionWordsOf('Who returned?'))).toBe(false);
    expect(hasAnswerCue('person', 'The crew of Neil Armstrong returned.', questionWordsOf('Who returned?'))).toBe(true);
  });
});
