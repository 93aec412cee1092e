import {
  defaultParaphraseThreshold, matchParaphrase, paraphraseFeatures, paraphraseMinimumCosine,
} from '../../../../activities/cache/paraphrase-match';

// Hand-written pairs with fixed cosines (typical MiniLM values for such pairs), so no model is needed.
const thaiFood = 'How can I learn to cook Thai food?';
const thaiCooking = 'What is the way to learn Thai cooking?';

describe('matchParaphrase', () => {
  it('matches an exact repeat, up to case and punctuation, whatever the cosine', () => {
    expect(matchParaphrase('How do I reset my password?', 'how do i reset my password', 0.2)).toEqual({
      match: true, score: 1, vetoes: [],
    });
  });

  it('matches a reworded question with a high cosine', () => {
    const result = matchParaphrase(thaiFood, thaiCooking, 0.95);
    expect(result).toMatchObject({ match: true, vetoes: [] });
    expect(result.score).toBeGreaterThanOrEqual(defaultParaphraseThreshold);
  });

  it('misses below the cosine floor even when the words overlap', () => {
    const cosine = paraphraseMinimumCosine - 0.05;
    expect(matchParaphrase('How do I learn Python?', 'How do I learn Python quickly?', cosine).match).toBe(false);
  });

  it('vetoes a different number', () => {
    const result = matchParaphrase('What is the best laptop under 30000?', 'Which laptop is best under 50000?', 0.98);
    expect(result).toMatchObject({ match: false, vetoes: ['numberConflict'] });
  });

  it('vetoes a negation present in one question only', () => {
    const result = matchParaphrase(
      'What should a woman do after getting married?', "What shouldn't a woman do after getting married?", 0.96);
    expect(result.match).toBe(false);
    expect(result.vetoes).toContain('negationMismatch');
  });

  it('does not read "why or why not" as a negation', () => {
    const features = paraphraseFeatures('Is coffee healthy? Why or why not?', 'Is coffee healthy?', 0.95);
    expect(features.negationMismatch).toBe(0);
  });

  it('vetoes a swapped comparison', () => {
    const result = matchParaphrase(
      'What do people in Denver think of Seattle?', 'What do people in Seattle think of Denver?', 0.99);
    expect(result).toMatchObject({ match: false, vetoes: ['rolesSwapped'] });
  });

  it('vetoes another named entity in the same template', () => {
    const result = matchParaphrase(
      'Which is a good rehab center in Mercer County?', 'Which is a good rehab center in Macoupin County?', 0.96);
    expect(result).toMatchObject({ match: false, vetoes: ['entitySubstitution'] });
  });

  it('vetoes a question about the opposite ("higher" vs "lower")', () => {
    const result = matchParaphrase(
      'Which part of China had people ranked lower in the class system?',
      'Which part of China had people ranked higher in the class system?', 0.97,
    );
    expect(result).toMatchObject({ match: false, vetoes: ['antonymConflict'] });
  });

  it('vetoes a question asking for another slot (who, when, where), but not "what year" for "when"', () => {
    expect(matchParaphrase('When did Tugh Temur die?', 'What was Tugh Temur known for?', 0.9).vetoes)
      .toContain('slotMismatch');
    expect(matchParaphrase(
      'Where were the narrow gauge rail lines built in Victoria?', 'Who owns the rail lines in Victoria?', 0.9,
    ).vetoes).toContain('slotMismatch');
    expect(matchParaphrase('When was the treaty signed?', 'What year was the treaty signed?', 0.95).vetoes)
      .not.toContain('slotMismatch');
  });

  it('vetoes a negation even with a few words reworded', () => {
    const result = matchParaphrase(
      'Who had no real military power during the Yuan?', 'Who had military control during the Yuan?', 0.9,
    );
    expect(result.vetoes).toContain('negationMismatch');
  });

  it('misses when the score is under a stricter threshold', () => {
    const result = matchParaphrase(thaiFood, thaiCooking, 0.95, 0.999);
    expect(result.match).toBe(false);
    expect(result.vetoes).toEqual([]);
  });
});
