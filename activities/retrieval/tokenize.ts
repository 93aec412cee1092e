// A small English stop list: these words carry no topic and would dominate lexical scores.
const stopWords = new Set(
  (
    'a an and are as at be but by can do does for from had has have how i if in into is it its of on or so than ' +
    'that the their them then there these they this to was were what when where which who whom why will with would ' +
    'you your'
  ).split(' '),
);

/** Lower-cased word tokens (Unicode letters and digits), stop words removed. */
export function contentTokens(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((token) => !stopWords.has(token));
}

/**
 * Cheap suffix folding so "workflows" and "workflow" land on the same term. Kept only because the
 * hashing embedder's stored vectors were computed with it (changing it would change them); lexical
 * BM25 terms use the Porter2 stemmer (sparse-terms.ts).
 */
export function stemToken(token: string): string {
  return token.length > 4 ? token.replace(/(ing|ed|es|s)$/u, '') : token;
}

/** 32-bit FNV-1a of a string's UTF-16 code units (the same hash contracts/prompts.ts assigns variants with). */
export { stableHash as fnv1a } from '../../contracts/prompts';
