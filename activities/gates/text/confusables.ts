// Look-alike letters folded to the ASCII letter they imitate, for detectors that must read text
// the way a person (or a model) does: "ıɡոօʀҽ" reads as "ignore". `matchingText` folds only the
// common Cyrillic and Greek tricks and is shared by every gate; this wider fold is for the
// injection gate's extra views, so the other gates' results do not move. Full-width, circled,
// mathematical and other compatibility letters need no entry: NFKC folds them before this runs.

/** For each ASCII letter, characters from other scripts and blocks that render like it. */
const lookAlikesByLetter: Record<string, string> = {
  a: 'аАɑαΑ⍺ᴀꭺꓮ',
  b: 'ЬьВвβΒᖯᏏƅʙꓐ',
  c: 'сСϲϹᴄꮯⅽꓚ',
  d: 'ԁɗᑯᏧᴅꓒ',
  e: 'еЕҽεΕ℮ᴇꬲᥱꓰ',
  f: 'ꜰғϝꓝ',
  g: 'ɡɢցǥƍꓖ',
  h: 'һНнհΗᎻʜꓧ',
  i: 'іІıɩιΙɪꙇӀꓲ',
  j: 'јЈϳʝᴊꓙ',
  k: 'κΚкКᴋĸꓗ',
  l: 'ӏǀℓꓡʟ',
  m: 'мМΜᴍꓟ',
  n: 'ոɴηΝпꓠ',
  o: 'оОοΟօᴏσꓳ',
  p: 'рРρΡᴘ⍴ꓑ',
  q: 'ԛզǫ',
  r: 'гʀᴦꭇꮁꓣ',
  s: 'ѕЅꜱʂƽꓢ',
  t: 'τΤтТᴛꓔ',
  u: 'սᴜυʋꓴ',
  v: 'νᴠѵⅴꓦ',
  w: 'ԝᴡѡɯꓪ',
  x: 'хХҳχΧ×ꓫ',
  y: 'уУүγʏΥꓬ',
  z: 'ᴢʐΖꓜ',
};

const foldTable = new Map<string, string>();
for (const [letter, lookAlikes] of Object.entries(lookAlikesByLetter)) {
  for (const lookAlike of lookAlikes) foldTable.set(lookAlike, letter);
}
const lookAlikeClass = `[${[...foldTable.keys()].join('')}]`;
const lookAlikePattern = new RegExp(lookAlikeClass, 'gu');
const lookAlikeTest = new RegExp(lookAlikeClass, 'u');

/** Characters that render as nothing or as blank space without being \p{Cf} (which NFKC callers strip). */
const invisible = /[\u115F\u1160\u3164\uFFA0\u2800\u034F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** Replaces look-alike letters from other scripts with the ASCII letters they imitate. */
export function foldLookAlikes(text: string): string {
  return text.replace(lookAlikePattern, (character) => foldTable.get(character) ?? character);
}

/**
 * Drops accents and other combining marks from Latin letters ("ịgṇọṛẹ" → "ignore", "précédentes"
 * → "precedentes"), and invisible fillers; marks on other scripts (Cyrillic й) are kept.
 */
export function stripLatinMarks(text: string): string {
  return text.normalize('NFD').replace(/(?<=[A-Za-z])\p{Mn}+/gu, '').replace(invisible, '').normalize('NFC');
}

/** True when `text` has letters the fold would change. */
export function hasLookAlikes(text: string): boolean {
  return lookAlikeTest.test(text);
}
