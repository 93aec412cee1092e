import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { sharedEncoding } from '../../../activities/tiktoken-encodings';

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

  it('encodes as the full encoder does with its decoding table emptied', () => {
    const ranks = require('js-tiktoken/ranks/cl100k_base') as TiktokenBPE;
    const full = new Tiktoken(ranks);
    // The saving rests on js-tiktoken keeping its decoding table here; an upgrade that moves it fails this.
    expect((full as unknown as { textMap: unknown }).textMap).toBeInstanceOf(Map);
    const text = 'Déjà vu: 3,520,031 inhabitants 🎉 in Berlin — "quoted", tabs\tand\nnew lines, Straße, 東京.';
    expect(sharedEncoding('cl100k_base').encode(text)).toEqual(full.encode(text));
  });
});
