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

const encodings = new Map<TokenizerName, Tiktoken>();

/** The process's one encoder for `name`, built on first use. */
export function sharedEncoding(name: TokenizerName): Tiktoken {
  let encoding = encodings.get(name);
  if (!encoding) {
    encoding = new Tiktoken(ranksOf[name]());
    encodings.set(name, encoding);
  }
  return encoding;
}
