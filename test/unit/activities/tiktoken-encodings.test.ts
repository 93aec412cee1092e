import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { encoderWithoutDecoding, sharedEncoding } from '../../../activities/tiktoken-encodings';
import { seededRandom } from '../../helpers/seeded-random';

// The lite entry with one ranks file per encoding must encode exactly as OpenAI's tokenizers do.
describe('sharedEncoding', () => {
  it('encodes with the real cl100k_base and o200k_base ranks', () => {
    expect(sharedEncoding('cl100k_base').encode('hello world')).toEqual([15339, 1917]);
    expect(sharedEncoding('o200k_base').encode('hello world')).toEqual([24912, 2375]);
  });

  it('builds each encoding once per process', () => {
    expect(sharedEncoding('cl100k_base')).toBe(sharedEncoding('cl100k_base'));
    expect(sharedEncoding('o200k_base')).not.toBe(sharedEncoding('cl100k_base'));
  });

  // The encoder is built from the ranks file without js-tiktoken's own build (tiktoken-encodings.ts).
  it.each(['cl100k_base', 'o200k_base'])('holds exactly the library\'s %s encoding table and no decoding table',
    (name) => {
      const ranks = require(`js-tiktoken/ranks/${name}`) as TiktokenBPE;
      type Internals = { rankMap: Map<string, number>; textMap: Map<number, Uint8Array> };
      const library = new Tiktoken(ranks) as unknown as Internals;
      const built = encoderWithoutDecoding(ranks) as unknown as Internals;
      // An upgrade that renames or rekeys the tables fails here, before any token count goes wrong.
      expect(library.rankMap.size).toBeGreaterThan(100_000);
      expect(built.rankMap.size).toBe(library.rankMap.size);
      const differing = [...library.rankMap].filter(([key, rank]) => built.rankMap.get(key) !== rank);
      expect(differing).toEqual([]);
      expect(built.textMap.size).toBe(0);
    });

  it('encodes as the library does, on mixed scripts, emoji, code and random strings', () => {
    const ranks = require('js-tiktoken/ranks/cl100k_base') as TiktokenBPE;
    const library = new Tiktoken(ranks);
    const texts = [
      'Déjà vu: 3,520,031 inhabitants 🎉 in Berlin — "quoted", tabs\tand\nnew lines, Straße, 東京.',
      'def f(x):\n    return x**2  # comment\n\n\n   ', 'ＡＢＣ１２３ مرحبا بالعالم Привет мир 👩‍👩‍👧‍👦',
    ];
    const random = seededRandom(7);
    const alphabet = [...'aé東🎉 \n\t0,.-_"\'Zß€Ωж'];
    for (let index = 0; index < 200; index += 1) {
      const length = 1 + Math.floor(random() * 40);
      texts.push(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    }
    for (const text of texts) expect(sharedEncoding('cl100k_base').encode(text)).toEqual(library.encode(text));
  });
});
