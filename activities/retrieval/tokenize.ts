// A small English stop list: these words carry no topic and would dominate lexical scores.
const stopWords = new Set(
  'a an and are as at be but by can do does for from had has have how i if in into is it its of on or so than that the their them then there these they this to was were what when where which who whom why will with would you your'.split(' '),
);

/** Lower-cased word tokens (Unicode letters and digits), stop words removed. */
export function contentTokens(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((token) => !stopWords.has(token));
}
