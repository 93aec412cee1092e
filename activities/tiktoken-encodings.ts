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
 * A js-tiktoken encoder without its decoding table. The library builds two tables, bytes → token for `encode`
 * and token → bytes for `decode`; nothing here decodes, and the second holds ~23 MiB of heap for cl100k
 * (31 → 7.6 MiB measured once emptied), which a worker keeps for its whole life.
 */
function encodeOnly(ranks: TiktokenBPE): TokenEncoder {
  const encoder = new Tiktoken(ranks);
  // `textMap` is js-tiktoken's internal decoding table (lite.cjs); `decode` is the only reader.
  const internals = encoder as unknown as { textMap?: Map<number, Uint8Array> };
  internals.textMap?.clear();
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
