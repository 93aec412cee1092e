import { getEncoding, type Tiktoken } from 'js-tiktoken';

// js-tiktoken's default entry bundles its BPE ranks, so encoding works offline. Building an encoder
// takes about half a second and tens of MB, so each encoding is built once per process and shared by
// the token counters, the context packer and the PII gate's common-word test.

export type TokenizerName = 'o200k_base' | 'cl100k_base';

const encodings = new Map<TokenizerName, Tiktoken>();

/** The process's one encoder for `name`, built on first use. */
export function sharedEncoding(name: TokenizerName): Tiktoken {
  let encoding = encodings.get(name);
  if (!encoding) {
    encoding = getEncoding(name);
    encodings.set(name, encoding);
  }
  return encoding;
}
