// Titles and other abbreviations that do not end a sentence even when a capitalised word follows
// ("Dr. Smith", "St. Louis", "Gen. Grant", "vs. Ohio"). Words that often end a sentence as well
// ("etc.", "Inc.", "Co.") are left out: a sentence cut there is still a whole sentence.
const abbreviations = new Set(
  (
    'mr mrs ms mx dr prof sr jr st mt ft gen col capt cmdr lt sgt maj adm rev fr hon gov sen rep pres supt ' +
    'messrs mme mlle vs v cf ca approx fig figs no nos vol vols pp ed eds dept est jan feb mar apr jun jul aug ' +
    'sep sept oct nov dec ave blvd rd hwy'
  ).split(' '),
);

// A boundary candidate: sentence-final punctuation, any closing quotes or brackets, then space
// before a capital letter, a digit or an opening quote or bracket. It starts only where a run of
// punctuation starts: tried inside a run, it would rescan the run's rest each time, quadratic in a
// text of dots (32,000 of them took 1.2 s).
const boundary = /(?<![.!?])[.!?]+["'\u201d\u2019)\]]*\s+(?=["'\u201c\u2018(\[]?[\p{Lu}\p{N}])/gu;

// Month names after a day written as an ordinal with a full stop, as German, Dutch and the Nordic languages write
// dates ("am 31. März", "den 1. mars"): the "31." is no sentence end. Full names only, so "ranked 5. Jan Novak won"
// still splits.
const monthAfterOrdinal = new RegExp(
  '^(januar|jänner|januari|februar|februari|märz|maart|mars|april|mai|mei|juni|juli|august|augustus|september|' +
  'oktober|november|dezember|december|desember)(?![\\p{L}])', 'iu',
);

/**
 * True when the word before a full stop marks an abbreviation, an initial or a date's ordinal day (the text after
 * the stop is `next`), not a sentence end.
 */
function continuesAfter(word: string, next: string): boolean {
  if (/^\d{1,2}$/.test(word) && monthAfterOrdinal.test(next)) return true;
  const bare = word.replace(/^["'\u201c\u2018(\[]+/u, '');
  // An initial ("John W. Weeks", "J. R. R. Tolkien") or a dotted one ("U.S.", "e.g.", "i.e.", "a.m.").
  if (/^\p{Lu}$/u.test(bare) || /^(?:\p{L}\.)+\p{L}$/u.test(bare)) return true;
  return abbreviations.has(bare.toLowerCase());
}

/**
 * Splits prose into sentences at ., ! and ? followed by a capitalised word, a number or a quote,
 * except after abbreviations, initials and dotted acronyms ("Mr.", "John W. Weeks", "U.S."), so a
 * quoted sentence keeps its names whole. Decimals ("3.5") and ellipses before lower case never
 * split, having no space or capital after them. Errs towards a longer sentence: "in the U.S. The"
 * stays one sentence rather than cutting a name apart elsewhere.
 */
export function splitSentences(text: string): string[] {
  // A blank line always ends a sentence: headings, list items, table rows and code blocks carry no full stop,
  // and flattened together "Install it" ran on into "Then run it."
  return text.split(/\n[ \t\r\f\v]*\n/).flatMap(sentencesOfParagraph);
}

/** The sentences of one paragraph (no blank line inside). */
function sentencesOfParagraph(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentences: string[] = [];
  let start = 0;
  for (const match of flat.matchAll(boundary)) {
    const end = match.index + match[0].trimEnd().length;
    const punctuation = match[0].trim();
    // The word before the stop, found from the stop backwards: slicing from the sentence's start would cost
    // the whole sentence for each stop it keeps ("A. B. C. …").
    const before = flat.slice(Math.max(start, flat.lastIndexOf(' ', match.index - 1) + 1), match.index);
    const after = match.index + match[0].length;
    // Only a lone full stop can belong to an abbreviation; "!", "?" and "..." end the sentence.
    const fullStop = /^\.["'\u201d\u2019)\]]*$/u.test(punctuation);
    if (fullStop && continuesAfter(before, flat.slice(after, after + 12))) continue;
    sentences.push(flat.slice(start, end));
    start = after;
  }
  if (start < flat.length) sentences.push(flat.slice(start));
  return sentences.filter((sentence) => sentence.length > 0);
}
