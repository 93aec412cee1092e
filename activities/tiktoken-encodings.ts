import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

// js-tiktoken bundles its BPE ranks, so encoding works offline. Building an encoder takes about half a
// second and tens of MB, so each encoding is built once per process and shared by the token counters,
// the context packer and the PII gate's common-word test. The lite entry and one ranks file per encoding,
// loaded on first use, keep the other encodings' ranks out of memory (the main entry loads them all: ~16 MiB).

export type TokenizerName = 'o200k_base' | 'cl100k_base';

// The CommonJS ranks files export the table itself; an ES-module build would hand it over as `default`.
const ranksFrom = (loaded: TiktokenBPE | { default: TiktokenBPE }): TiktokenBPE =>
  'default' in loaded ? loaded.default : loaded;
const ranksOf: Record<TokenizerName, () => TiktokenBPE> = {
  cl100k_base: () => ranksFrom(require('js-tiktoken/ranks/cl100k_base') as TiktokenBPE),
  o200k_base: () => ranksFrom(require('js-tiktoken/ranks/o200k_base') as TiktokenBPE),
};

/** What Sluice does with an encoding: turn text into token ids (to count them, or find one-token words). */
export interface TokenEncoder {
  encode(text: string): number[];
}

/**
 * A js-tiktoken encoder without its decoding table, built without the garbage of the library's own build.
 * Its constructor turns the ranks file into an object of 100k base64 keys, then into two tables, bytes →
 * token for `encode` and token → bytes for `decode`. Nothing here decodes, and the worker kept ~23 MiB for
 * the second table; building both also left ~34 MiB of garbage in the heap, which V8 then keeps committed.
 * So the encoder starts empty and the bytes → token table (`rankMap`, the one `encode` reads, keyed as
 * js-tiktoken keys it: the token's bytes joined by commas) is filled line by line from the ranks file.
 */
export function encoderWithoutDecoding(ranks: TiktokenBPE): Tiktoken {
  const encoder = new Tiktoken({ ...ranks, bpe_ranks: '' });
  // `rankMap` is js-tiktoken's internal encoding table (lite.cjs); a test compares it with the library's own.
  const { rankMap } = encoder as unknown as { rankMap: Map<string, number> };
  for (const line of ranks.bpe_ranks.split('\n')) {
    if (!line) continue;
    // "! <first rank> <token> <token> …": consecutive ranks from the first, each token base64 encoded.
    const [, offset, ...tokens] = line.split(' ');
    const first = Number.parseInt(offset!, 10);
    tokens.forEach((token, index) => rankMap.set(Buffer.from(token, 'base64').join(','), first + index));
  }
  return encoder;
}

function encodeOnly(ranks: TiktokenBPE): TokenEncoder {
  const encoder = encoderWithoutDecoding(ranks);
  return { encode: (text) => encoder.encode(text) };
}

const encodings = new Map<TokenizerName, TokenEncoder>();

/** The process's one encoder for `name`, built on first use. */
export function sharedEncoding(name: TokenizerName): TokenEncoder {
  let encoding = encodings.get(name);
  if (!encoding) {
    encoding = encodeOnly(ranksOf[name]());
    encodings.set(name, encoding);
  }
  return encoding;
}
