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
});
