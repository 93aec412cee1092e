import { sharedEncoding, type TokenEncoder } from '../tiktoken-encodings';

const encoderOf = (): TokenEncoder => sharedEncoding('cl100k_base');

/** Tokens `text` takes for an OpenAI-family model (cl100k_base); a close estimate for others. */
export function countTextTokens(text: string): number {
  return encoderOf().encode(text).length;
}

const wordCache = new Map<string, number>();
const wordCacheLimit = 200_000;

/**
 * Tokens of one whitespace-delimited word as it appears mid-text (with its leading space).
 * Summing these approximates a text's count within a few percent and is far cheaper than
 * re-encoding growing chunks; cached because natural text repeats words heavily.
 */
export function countWordTokens(word: string): number {
  let count = wordCache.get(word);
  if (count === undefined) {
    count = encoderOf().encode(` ${word}`).length;
    if (wordCache.size >= wordCacheLimit) wordCache.clear();
    wordCache.set(word, count);
  }
  return count;
}
