import { stemTerm } from '../retrieval/sparse-terms';

// How the paraphrase matcher reads one question: words, stems, content words, numbers, negation,
// names, the slot it asks to fill, plus the two relational checks that need both questions parsed.

// Words that carry no topic; the question words are compared separately (questionWordMismatch).
// "best", "good" and the like are here because Quora askers use them interchangeably.
const stopWords = new Set(
  (
    'a an the and or but if so of to in on at by for from with about as into onto than then that this these those ' +
    'is are was were be been being am do does did done doing have has had having will would shall should can could ' +
    'may might must i me my mine we us our you your yours he him his she her it its they them their there here ' +
    'what why how when where who whom whose which some any all more most very much many just also get got one ' +
    'way ways best good really actually possible'
  ).split(' '),
);
// "one" is left out: it is far more often a pronoun ("how does one…") than a count.
// A Map, not an object literal: "constructor" or "toString" must not read as a number word.
const numberWords: ReadonlyMap<string, string> = new Map(Object.entries({
  zero: '0', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12', twenty: '20', hundred: '100', thousand: '1000', million: '1000000',
}));
const negations = new Set(['not', 'no', 'never', 'without', 'none', 'nothing', 'nobody', 'neither', 'nor', 'cannot']);
const questionWords = new Set(['what', 'why', 'how', 'when', 'where', 'who', 'which']);
// Opposites: a question that asks about one side is not answered by the other's answer ("ranked
// higher" vs "ranked lower"). Compared on lower-case words.
const antonymPairs: ReadonlyArray<readonly [string, string]> = [
  ['higher', 'lower'], ['high', 'low'], ['more', 'less'], ['most', 'least'], ['before', 'after'], ['first', 'last'],
  ['largest', 'smallest'], ['biggest', 'smallest'], ['larger', 'smaller'], ['bigger', 'smaller'],
  ['maximum', 'minimum'], ['increase', 'decrease'], ['best', 'worst'], ['better', 'worse'],
  ['north', 'south'], ['east', 'west'],
  ['northern', 'southern'], ['eastern', 'western'], ['win', 'lose'], ['won', 'lost'], ['buy', 'sell'],
  ['open', 'close'], ['start', 'end'], ['began', 'ended'], ['positive', 'negative'], ['upper', 'lower'],
  ['earliest', 'latest'], ['oldest', 'newest'], ['older', 'younger'], ['oldest', 'youngest'],
  ['cheapest', 'most expensive'],
];
// The slot a question asks to fill: a person, a time, a place. "What year" asks for a time like "when".
const slotPatterns: ReadonlyArray<readonly [string, RegExp]> = [
  ['time', /\b(when|what (year|date|time|century|decade|month|day)|which (year|date|century|decade))\b/],
  ['person', /\b(who|whom|whose)\b/],
  ['place', /\b(where)\b/],
];

// Words that give the two sides of a relation different roles: "Denver think of Seattle", "from X to Y".
const relationWords = new Set([
  'to', 'from', 'vs', 'versus', 'than', 'of', 'after', 'before', 'into', 'against', 'in',
]);

/** One question as the matcher reads it. */
export interface ParsedQuestion {
  words: string[];
  stems: string[];
  content: Set<string>;
  numbers: Set<string>;
  negated: boolean;
  questionWord: string | undefined;
  /** Stems of capitalised words after the first: names of places, products, people. */
  entities: Set<string>;
  /** What the question asks for when it is a person, a time or a place; `other` otherwise. */
  slot: string;
}

/** Parses one question; `content` holds the stems of its topic words (no stop or number words). */
export function parseQuestion(text: string): ParsedQuestion {
  const cleaned = text
    .normalize('NFKC')
    // Tag questions such as "why or why not?" ask for both sides and negate nothing.
    .replace(/\bwhy or why not\b|\bor not\b|\bif not\b/gi, ' ')
    .replace(/[’‘`]/g, "'")
    .replace(/n't\b/gi, ' not')
    .replace(/'s\b/gi, '');
  const raw = cleaned.match(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu) ?? [];
  const words = raw.map((word) => word.toLowerCase());
  const stems = words.map((word) => stemTerm(word));
  const numbers = new Set<string>();
  for (const word of words) {
    // Model names count as numbers too: "M604n" and "M604dn" are different printers.
    if (/\p{N}/u.test(word)) numbers.add(word.replace(/,/g, ''));
    else if (numberWords.has(word)) numbers.add(numberWords.get(word)!);
  }
  const entities = new Set<string>();
  raw.forEach((word, index) => {
    if (index > 0 && /^\p{Lu}/u.test(word) && !stopWords.has(words[index]!)) entities.add(stems[index]!);
  });
  return {
    words,
    stems,
    content: new Set(stems.filter((_, index) => !stopWords.has(words[index]!) && !numberWords.has(words[index]!))),
    numbers,
    negated: words.some((word) => negations.has(word)),
    questionWord: words.find((word) => questionWords.has(word)),
    entities,
    slot: slotPatterns.find(([, pattern]) => pattern.test(words.join(' ')))?.[0] ?? 'other',
  };
}

/** True when one question holds a word and the other its opposite, neither holding both. */
export function antonymConflict(a: ParsedQuestion, b: ParsedQuestion): boolean {
  const [left, right] = [` ${a.words.join(' ')} `, ` ${b.words.join(' ')} `];
  const has = (text: string, word: string): boolean => text.includes(` ${word} `);
  return antonymPairs.some(([x, y]) =>
    (has(left, x) && has(right, y) && !has(left, y) && !has(right, x)) ||
    (has(left, y) && has(right, x) && !has(left, x) && !has(right, y)));
}

/** True when two shared content words trade places across a relation word ("X to Y" vs "Y to X"). */
export function rolesSwapped(a: ParsedQuestion, b: ParsedQuestion): boolean {
  const shared = [...a.content].filter((stem) => b.content.has(stem));
  for (let first = 0; first < shared.length; first += 1)
    for (let second = first + 1; second < shared.length; second += 1) {
      const [x, y] = [shared[first]!, shared[second]!];
      const [ax, ay] = [a.stems.indexOf(x), a.stems.indexOf(y)];
      const [bx, by] = [b.stems.indexOf(x), b.stems.indexOf(y)];
      if (Math.sign(ax - ay) === Math.sign(bx - by)) continue;
      if (a.words.slice(Math.min(ax, ay) + 1, Math.max(ax, ay)).some((word) => relationWords.has(word))) return true;
    }
  return false;
}
