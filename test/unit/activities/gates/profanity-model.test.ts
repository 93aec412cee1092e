import { readFileSync } from 'node:fs';
import { ProfanityModel, profanityModel, profanityModelPath } from '../../../../activities/gates/text/profanity-model';

// Probabilities alt-profanity-check 1.9.1 itself gives (its predict_prob, scikit-learn 1.9.1), for
// texts that exercise tokenising: stop words only, non-ASCII words, punctuation, an empty text.
const fromThePackage: [string, number][] = [
  ['What changes the mineral content of a rock?', 0.013857],
  ['you are a fucking idiot', 1.0],
  ['I will find you and hurt you, you worthless piece of shit', 0.999885],
  ['Größe und Straße — naïve café', 0.005908],
  ['', 0.036376],
  ['the the the', 0.036376],
];

describe('the exported profanity model', () => {
  it.each(fromThePackage)('scores %j as the Python package does', (text, expected) => {
    expect(profanityModel().probability(text)).toBeCloseTo(expected, 4);
  });

  it('refuses a file whose weights do not line up with its terms, naming the problem', () => {
    const file = JSON.parse(readFileSync(profanityModelPath, 'utf8')) as { idf: number[] };
    file.idf.pop();
    expect(() => new ProfanityModel(file)).toThrow(/one entry per term/);
  });
});
