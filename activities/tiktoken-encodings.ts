import type { TiktokenBPE } from 'js-tiktoken/lite';
import { CompactBpeEncoder } from './compact-bpe-encoder';

// js-tiktoken bundles its BPE ranks, so encoding works offline. Each encoding is built once per process, on first
// use, and shared by the token counters, the context packer and the PII gate's common-word test. Only the ranks
// file of the encoding asked for is read (the library's main entry loads them all: ~16 MiB), and the encoder
// keeps its own compact table (compact-bpe-encoder.ts), so the file's text is dropped from the module cache once
// the table is built.

export type TokenizerName = 'o200k_base' | 'cl100k_base';

// The CommonJS ranks files export the table itself; an ES-module build would hand it over as `default`.
const ranksFrom = (loaded: TiktokenBPE | { default: TiktokenBPE }): TiktokenBPE =>
  'default' in loaded ? loaded.default : loaded;
const ranksModules: Record<TokenizerName, string> = {
  cl100k_base: 'js-tiktoken/ranks/cl100k_base',
  o200k_base: 'js-tiktoken/ranks/o200k_base',
};

/** What Sluice does with an encoding: turn text into token ids (to count them, or find one-token words). */
export interface TokenEncoder {
  encode(text: string): number[];
}

const encodings = new Map<TokenizerName, TokenEncoder>();

function buildEncoding(name: TokenizerName): TokenEncoder {
  const path = require.resolve(ranksModules[name]);
  const encoder = new CompactBpeEncoder(ranksFrom(require(path) as TiktokenBPE));
  // Node keeps a required module twice: in the cache, and in the requiring module's `children`.
  const loaded = require.cache[path];
  delete require.cache[path];
  if (module.children) module.children = module.children.filter((child) => child !== loaded);
  return encoder;
}

/** The process's one encoder for `name`, built on first use. */
export function sharedEncoding(name: TokenizerName): TokenEncoder {
  let encoding = encodings.get(name);
  if (!encoding) {
    encoding = buildEncoding(name);
    encodings.set(name, encoding);
  }
  return encoding;
}
