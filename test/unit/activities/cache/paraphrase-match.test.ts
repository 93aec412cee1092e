import { paraphraseInputNames } from '../../../../activities/cache/paraphrase-features';
import {
  defaultParaphraseThreshold, matchParaphrase, paraphraseFeatures, paraphraseMinimumCosine, paraphraseModel,
  paraphraseScore,
} from '../../../../activities/cache/paraphrase-match';
import { loadParaphraseModel, paraphraseProbability } from '../../../../activities/cache/paraphrase-model';
import modelFile from '../../../../activities/cache/paraphrase-model.json';

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

describe('paraphrase model', () => {
  it('loads the shipped file, trained on the tuning split only, with its threshold as the default', () => {
    expect(modelFile.inputs).toEqual([...paraphraseInputNames]);
    expect(modelFile.trainedOn).toMatchObject({
      splitRule: expect.stringMatching(/% 10 < 7 tunes/), trainingRows: 2777,
    });
    expect(defaultParaphraseThreshold).toBe(modelFile.threshold);
    expect(paraphraseMinimumCosine).toBe(modelFile.minimumCosine);
  });

  it('refuses a stale or malformed file', () => {
    expect(() => loadParaphraseModel({ ...modelFile, inputs: [...modelFile.inputs.slice(1), 'extra'] }))
      .toThrow(/not the code's inputs/);
    expect(() => loadParaphraseModel({ ...modelFile, weights: modelFile.weights.slice(1) })).toThrow(/one per input/);
    expect(() => loadParaphraseModel({ ...modelFile, trainedOn: {} })).toThrow();
  });

  it('standardises each input before weighing it', () => {
    const model = { ...paraphraseModel, means: [1, 2], scales: [2, 4], weights: [1, -1], bias: 0.5 };
    expect(paraphraseProbability(model, [5, 10])).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 10);
  });

  it('scores an obvious paraphrase above the threshold', () => {
    const result = matchParaphrase('How do I lose weight fast?', 'How can I lose weight quickly?', 0.93);
    expect(result).toMatchObject({ match: true, vetoes: [] });
    expect(result.score).toBeGreaterThan(defaultParaphraseThreshold);
  });

  it('does not match a different amount or a negated question, however close the embeddings', () => {
    expect(matchParaphrase('Do orders over 50 dollars ship free?', 'Do orders over 20 dollars ship free?', 0.99))
      .toMatchObject({ match: false, vetoes: ['numberConflict'] });
    const negated = matchParaphrase('Can I return an opened item?', 'Can I not return an opened item?', 0.99);
    expect(negated).toMatchObject({ match: false, vetoes: ['negationMismatch'] });
  });

  it('weighs unshared words by their rarity in the tuning questions', () => {
    expect(paraphraseModel.idf('xylophonist')).toBeGreaterThan(paraphraseModel.idf('learn'));
    const features = paraphraseFeatures('How do I learn guitar?', 'How do I learn guitar as a xylophonist?', 0.9);
    expect(features).toMatchObject({ unmatchedWords: 1, unmatchedWeightLow: 0 });
    expect(features.rarestUnmatched).toBeCloseTo(paraphraseModel.idf('xylophonist'), 10);
    expect(features.sharedWeight).toBeCloseTo(
      (paraphraseModel.idf('learn') + paraphraseModel.idf('guitar')) /
        (paraphraseModel.idf('learn') + paraphraseModel.idf('guitar') + paraphraseModel.idf('xylophonist')), 10);
  });

  it('scores a pair higher the closer its embeddings', () => {
    const scores = [0.85, 0.9, 0.95].map((cosine) =>
      paraphraseScore(paraphraseFeatures('How do I learn guitar?', 'How can I learn to play the guitar?', cosine)));
    expect(scores[0]).toBeLessThan(scores[1]!);
    expect(scores[1]).toBeLessThan(scores[2]!);
  });

  it('reads no number into words that name Object.prototype members ("constructor")', () => {
    const features = paraphraseFeatures('What is a constructor in Java?', 'How are Java classes built?', 0.85);
    expect(features.numberOnlyInOne).toBe(0);
    expect(Number.isFinite(paraphraseModel.idf('constructor'))).toBe(true);
  });
});
