// Readings of one input text for the injection gate. An attacker disguises a known injection so
// that the characters differ while a model still reads the same request: rot13, reversed text,
// leetspeak, look-alike letters, text smuggled in invisible Unicode tag characters or in a bidi
// override, an encoded payload. Each view undoes one such disguise; the gate scores every view
// with the same rules and classifier and keeps the worst, and its reasons name the view that fired.
import { foldLookAlikes, hasLookAlikes, stripLatinMarks } from '../text/confusables';
import { canonicalText, matchingText } from '../text/normalise';
import { decodeEmbeddedPayloads } from './encoded-payloads';

/** One reading of the text, normalised for matching (lower case). */
export interface TextView {
  /** How the reading was obtained, as the gate's reasons say it; '' for the text as written. */
  label: string;
  text: string;
  /** Whether the classifier scores this view too; the rules always do. */
  classify: boolean;
}

/**
 * A disguise found while building the views. It is a signal on its own, whatever the decoded text
 * says: ordinary questions do not hide text in tag characters, rot13 or an encoded payload.
 */
export interface Disguise {
  weight: number;
  reason: string;
}

const apostrophes = /[\u2018\u2019\u02BC\u0060\u00B4]/g;

/** Canonical text with look-alike letters folded to ASCII, lower case, accents dropped from Latin letters. */
export function foldedText(text: string): string {
  const lower = foldLookAlikes(canonicalText(text)).toLowerCase();
  return stripLatinMarks(foldLookAlikes(lower)).replace(apostrophes, "'");
}

/** Canonical text in lower case without the look-alike fold, so Cyrillic and Greek words stay readable. */
function nativeText(text: string): string {
  return stripLatinMarks(canonicalText(text).toLowerCase()).replace(/ё/g, 'е').replace(apostrophes, "'");
}

// Unicode tag characters (U+E0000–U+E007F) mirror ASCII and render as nothing; emoji flags of
// regions (🏴 + tags + cancel tag) are their one legitimate use.
const tagRun = /(\u{1F3F4}?)([\u{E0000}-\u{E007F}]+)/gu;

/** The text with tag characters replaced by the ASCII they spell, and the hidden text alone; none without any. */
export function decodeTagCharacters(text: string): { text: string; hidden: string } | undefined {
  let hidden = '';
  const decoded = text.replace(tagRun, (_, flag: string, run: string) => {
    if (flag) return flag + run;
    const ascii = [...run].map((character) => {
      const code = character.codePointAt(0)! - 0xe0000;
      return code >= 0x20 && code <= 0x7e ? String.fromCharCode(code) : '';
    }).join('');
    hidden += ascii;
    return ascii;
  });
  return hidden.trim() ? { text: decoded, hidden } : undefined;
}

const rightToLeftOverride = /\u202E([^\u202C\u2069\n]*)/gu;

/**
 * The text as displayed: characters inside a right-to-left override (U+202E … U+202C) are shown in
 * reverse order, so "\u202Esnoitcurtsni erongi" is what a person (and many models) read as "ignore
 * instructions". None when the text has no override around letters.
 */
export function applyBidiOverrides(text: string): string | undefined {
  let reversedLetters = 0;
  const displayed = text.replace(rightToLeftOverride, (_, run: string) => {
    reversedLetters += (run.match(/\p{L}/gu) ?? []).length;
    return [...run].reverse().join('');
  });
  return reversedLetters >= 4 ? displayed : undefined;
}

// Words frequent in ordinary text (English first, then the other languages the rules read) and in
// injections. A clause with many more of them after rot13 or reversal than as written is taken to
// be encoded that way; ordinary text loses its common words under either transform.
const commonWords = new Set([
  'the of and to in is you that it he was for on are as with his they at be this have from or one had by but not',
  'what all were we when your can said there use an each which she do how their if will up other about out many then',
  'them these so some her would make like him into time has look two more write go see no way could people my than',
  'first been call who its now find down day did get come made may part me am being does done please tell show give',
  'print reveal repeat ignore disregard forget override bypass previous prior above earlier instructions instruction',
  'rules rule prompt prompts system secret secrets password key keys admin administrator developer developers mode',
  'jailbreak pretend act role new task answer respond reply without any restrictions limits filter filters content',
  'policy everything anything nothing assistant ai model hidden initial original start conversation given told before',
  'after just only also should must never always every question say message decode follow where why yes hello world',
  'der die das und ist nicht ich du sie es ein eine zu mit auf von den dem im sich auch als wie aber oder wenn dann',
  'alle alles deine dein el la los las que de en es un una por con para su tu todo todas le les et est pas vous je',
  'des du pour dans sur avec ce qui il di che non sono gli os um com voce',
].join(' ').split(' '));

const rot13 = (text: string): string =>
  text.replace(/[a-z]/g, (letter) => String.fromCharCode(((letter.charCodeAt(0) - 97 + 13) % 26) + 97));
const reverseCharacters = (text: string): string => [...text].reverse().join('');
const reverseEachWord = (text: string): string => text.replace(/[^\s]+/g, reverseCharacters);

/** Clauses and the punctuation between them, so a decoded clause can sit inside ordinary text. */
const clausePattern = /[^.,:;!?。！？\n]+|[.,:;!?。！？\n]+/g;

// The common words as they look rot13-encoded or written backwards, so a clause can be tested
// for either encoding by looking its words up, without decoding it first.
const rot13Words = new Set([...commonWords].map(rot13));
const reversedWords = new Set([...commonWords].map(reverseCharacters));

/**
 * The text with every clause that reads better rot13-decoded (or reversed: whole, or word by word)
 * replaced by its decoding; undefined where no clause does. "Better": at least two common words,
 * and at least twice as many (plus one) as the clause has as written.
 */
function decodeClauses(text: string): { rot13?: string; reversed?: string; wordsReversed?: string } {
  const rot13Parts: string[] = [];
  const reversedParts: string[] = [];
  const wordsReversedParts: string[] = [];
  let anyRot13 = false;
  let anyReversed = false;
  for (const clause of text.match(clausePattern) ?? []) {
    let before = 0;
    let asRot13 = 0;
    let asReversed = 0;
    for (const word of clause.match(/[a-z']+/g) ?? []) {
      if (commonWords.has(word)) before += 1;
      if (rot13Words.has(word)) asRot13 += 1;
      if (reversedWords.has(word)) asReversed += 1;
    }
    const better = (after: number) => after >= 2 && after >= 2 * before + 1;
    const rot13Better = better(asRot13);
    const reversedBetter = better(asReversed);
    anyRot13 ||= rot13Better;
    anyReversed ||= reversedBetter;
    rot13Parts.push(rot13Better ? rot13(clause) : clause);
    reversedParts.push(reversedBetter ? reverseCharacters(clause) : clause);
    wordsReversedParts.push(reversedBetter ? reverseEachWord(clause) : clause);
  }
  return {
    ...(anyRot13 ? { rot13: rot13Parts.join('') } : {}),
    ...(anyReversed ? { reversed: reversedParts.join(''), wordsReversed: wordsReversedParts.join('') } : {}),
  };
}

const leetLetters: Record<string, string> = {
  0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 6: 'g', 7: 't', 8: 'b', 9: 'g',
  '@': 'a', $: 's', '+': 't', '€': 'e', '|': 'l', '!': 'i',
};
/** Tokens of letters, digits and leet symbols (a pattern with no backtracking, so long runs stay linear). */
const leetToken = /[a-z0-9@$+€|!]+/g;

/**
 * Leetspeak read as letters ("1gn0r3 4ll" → "ignore all"), only in words that mix letters and digits
 * or symbols; undefined unless that turns at least one of them into a common word.
 */
export function foldLeetspeak(text: string): string | undefined {
  let gained = 0;
  const folded = text.replace(leetToken, (token) => {
    const trailing = /!+$/.exec(token)?.[0] ?? '';
    const word = token.slice(0, token.length - trailing.length);
    if (!/[a-z]/.test(word) || !/[0-9@$+€|!]/.test(word)) return token;
    const read = (one: string) =>
      [...word].map((character) => (character === '1' ? one : leetLetters[character] ?? character)).join('');
    // "1" stands for i or l: take whichever gives a common word ("a11" → "all"), else i.
    const withL = read('l');
    const letters = word.includes('1') && commonWords.has(withL) ? withL : read('i');
    if (commonWords.has(letters)) gained += 1;
    return letters + trailing;
  });
  return gained > 0 ? folded : undefined;
}

const otherScripts = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}]/u;
/** Latin letters with marks outside the Western European set (ị, ṇ, ọ …): a look-alike trick rather than a language. */
const unusualLatinMarks = /[\u0100-\u024F\u1E00-\u1EFF]|[A-Za-z]\p{Mn}/u;
/** Whether a word mixes ASCII letters with letters of another script ("іgnore"). */
function hasMixedScriptWord(text: string): boolean {
  // Word by word: one pattern with lookaheads would rescan each long word from every position.
  for (const word of text.match(/\p{L}{2,}/gu) ?? []) if (/[a-zA-Z]/.test(word) && otherScripts.test(word)) return true;
  return false;
}

/**
 * Whether enough words are disguised for the folded text to be worth the classifier's time: words
 * that mix ASCII letters with look-alikes or unusual accents ("ıgnοrе", "ịgṇọṛẹ"), or that are
 * look-alikes throughout and fold to a common English word ("ᴛʜᴇ"). A few foreign names in a long
 * text, or Russian and Greek prose, are not.
 */
function isMostlyDisguised(canonical: string): boolean {
  if (!hasLookAlikes(canonical) && !unusualLatinMarks.test(canonical.normalize('NFD'))) return false;
  let words = 0;
  let disguised = 0;
  for (const word of canonical.match(/[\p{L}\p{M}]+/gu) ?? []) {
    words += 1;
    // Only words with a non-ASCII character can be disguised.
    if (!/[^\x00-\x7F]/.test(word)) continue;
    const changes = hasLookAlikes(word) || unusualLatinMarks.test(word.normalize('NFD'));
    if (changes && (/[A-Za-z]/.test(word) || commonWords.has(foldedText(word)))) disguised += 1;
  }
  return disguised >= 2 && disguised >= words * 0.2;
}

/** Every reading of `text` worth scoring (the text as written first), and the disguises found. */
export function textViews(text: string): { views: TextView[]; disguises: Disguise[] } {
  const primary = matchingText(text);
  const folded = foldedText(text);
  const canonical = canonicalText(text);
  const views: TextView[] = [{ label: '', text: primary, classify: true }];
  const disguises: Disguise[] = [];
  const seen = new Set([primary]);
  const add = (view: TextView, disguise?: Disguise) => {
    if (disguise && !disguises.some((known) => known.reason === disguise.reason)) disguises.push(disguise);
    if (seen.has(view.text)) return;
    seen.add(view.text);
    views.push(view);
  };

  const hasOtherScripts = otherScripts.test(text);
  if (hasOtherScripts) add({ label: '', text: nativeText(text), classify: false });
  add(
    { label: 'text with look-alike letters folded', text: folded, classify: isMostlyDisguised(canonical) },
    hasOtherScripts && hasMixedScriptWord(canonical)
      ? { weight: 0.2, reason: 'mixes look-alike letters from other scripts into words' }
      : undefined,
  );

  const tags = decodeTagCharacters(text);
  if (tags) {
    const disguise = { weight: 0.6, reason: 'hides text in invisible Unicode tag characters' };
    add({ label: 'text hidden in Unicode tag characters', text: foldedText(tags.hidden), classify: true }, disguise);
    add({ label: 'text with its Unicode tag characters decoded', text: foldedText(tags.text), classify: true });
  }
  const displayed = applyBidiOverrides(text);
  if (displayed !== undefined) {
    add(
      { label: 'text as displayed under its bidi override', text: foldedText(displayed), classify: true },
      { weight: 0.3, reason: 'reverses letters with a bidi override' },
    );
  }

  const addDecoded = (label: string, decoded: string | undefined, reason: string) => {
    if (decoded !== undefined) add({ label, text: decoded, classify: true }, { weight: 0.2, reason });
  };
  const decoded = decodeClauses(folded);
  addDecoded('rot13-decoded text', decoded.rot13, 'contains rot13-encoded text');
  addDecoded('reversed text', decoded.reversed, 'contains reversed text');
  addDecoded('text with each word reversed', decoded.wordsReversed, 'contains reversed text');
  const leet = foldLeetspeak(folded);
  if (leet !== undefined) {
    add({ label: 'text with leetspeak read as letters', text: leet, classify: true });
  }

  for (const payload of decodeEmbeddedPayloads(canonical)) {
    add(
      { label: 'encoded payload', text: foldedText(payload), classify: true },
      { weight: 0.2, reason: 'contains an encoded text payload' },
    );
  }
  return { views, disguises };
}
