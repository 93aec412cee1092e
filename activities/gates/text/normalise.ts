// Text normalisation shared by the gates. Attackers hide keywords and PII with zero-width
// characters, bidi controls, full-width or look-alike letters and broken surrogates, so every
// gate matches on a canonical form instead of the raw string.

// A few Cyrillic and Greek letters that render like Latin ones; enough to defeat the common
// "іgnore" (Cyrillic і) trick without a full confusables table.
const lookAlikes: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', һ: 'h', ӏ: 'l',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I',
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', ι: 'i', κ: 'k', τ: 't', Α: 'A', Β: 'B', Ε: 'E', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Χ: 'X',
};
const lookAlikePattern = new RegExp(`[${Object.keys(lookAlikes).join('')}]`, 'gu');

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Canonical text for detection: lone surrogates become U+FFFD, NFKC folds full-width and
 * compatibility forms, and format characters (zero-width space/joiner, bidi controls, soft
 * hyphen) are removed so they cannot split a keyword or an email address.
 */
export function canonicalText(text: string): string {
  return text.replace(loneSurrogate, '\uFFFD').normalize('NFKC').replace(/[\p{Cf}\u00AD]/gu, '');
}

/** Canonical text, folded further for keyword matching: look-alike letters to Latin, lower case. */
export function matchingText(text: string): string {
  return canonicalText(text).replace(lookAlikePattern, (letter) => lookAlikes[letter] ?? letter).toLowerCase();
}
