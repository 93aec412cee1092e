import { seededRandom } from '../../test/helpers/seeded-random';

// A repeat-heavy question stream for the answer-cache savings bench (bench/cache/savings.ts), built
// deterministically from a seed: first askings of base questions, exact repeats with case, spacing and
// punctuation varied, paraphrases and near-misses. The paraphrases are TEMPLATE paraphrases (fixed
// rewrites that keep the meaning: "What city" -> "Which city", "Tell me, ...", "Do you know ...?",
// "exactly" added, "is called" <-> "is known as"), not human ones, so they say how the cache handles
// these rewrites, not how it handles people's paraphrases (bench/cache/paraphrase-curve.ts covers those).

/** A question with its gold answers (a row of ../shared/eval/rag/questions.jsonl). */
export interface BaseQuestion {
  id: string;
  question: string;
  answers: string[];
}

export const workloadKinds = ['new', 'repeat', 'paraphrase', 'near-miss'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

/** One question of the stream. */
export interface WorkloadItem {
  index: number;
  kind: WorkloadKind;
  question: string;
  /** What the question asks: the base question id, or `sub:<n>` for a substituted near-miss. */
  meaning: string;
  /** Gold answers; empty when unknown (a substituted near-miss asks about something no row answers). */
  answers: string[];
  /** For every kind but `new`: the earlier question it resembles. */
  resembles?: string;
  /** How a paraphrase was rewritten, or how a near-miss was made (`dataset` or `substituted`). */
  how?: string;
}

/** Shares of the stream by kind; they sum to 1. */
export type WorkloadMix = Record<WorkloadKind, number>;

/**
 * The default mix, like a support queue where most questions were asked before: 22% new, 40% exact
 * repeats, 28% paraphrases, 10% near-misses. "New" is capped by the 272 base questions (1,000 x 0.22 =
 * 220, and up to 50 more are held back as dataset near-misses).
 */
export const defaultMix: WorkloadMix = { new: 0.22, repeat: 0.4, paraphrase: 0.28, 'near-miss': 0.1 };

// Words that carry no topic, for finding look-alike questions.
const stopWords = new Set(
  ('a an the and or of to in on at by for from with is are was were be what which who whom how when where why ' +
    'did does do has have had that this as its it').split(' '),
);
const contentWords = (text: string): Set<string> =>
  new Set((text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((word) => !stopWords.has(word)));
const jaccard = (a: Set<string>, b: Set<string>): number => {
  const shared = [...a].filter((word) => b.has(word)).length;
  return shared / (a.size + b.size - shared || 1);
};
const answersOverlap = (a: readonly string[], b: readonly string[]): boolean =>
  a.some((x) => b.some((y) => x.toLowerCase() === y.toLowerCase()));

/** The normal form the bench uses to match a served `cachedQuestion` back to what was asked. */
export const questionKey = (text: string): string =>
  text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s?!.]+$/u, '');

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
const withoutMark = (text: string): string => text.replace(/[\s?]+$/, '');

/** Rewrites that keep the meaning; each returns undefined where it does not apply. */
const wordRewrites: Record<string, (question: string) => string | undefined> = {
  // "What city ..." -> "Which city ...", not "What is/was/did ...".
  whatToWhich: (q) => {
    const match = /^What (?!is\b|was\b|are\b|were\b|does\b|did\b|do\b|has\b|had\b|can\b|could\b|would\b)(\w+)/.exec(q);
    return match ? q.replace(/^What /, 'Which ') : undefined;
  },
  whichToWhat: (q) => (/^Which (?!of\b)\w+/.test(q) ? q.replace(/^Which /, 'What ') : undefined),
  exactly: (q) => {
    if (/\bexactly\b/i.test(q)) return q.replace(/\s*\bexactly\b/i, '').replace(/^\s+/, '');
    if (/^How many\b/.test(q)) return q.replace(/^How many\b/, 'Exactly how many');
    if (/^How much\b/.test(q)) return q.replace(/^How much\b/, 'Exactly how much');
    if (/^(When|Where) /.test(q)) return q.replace(/^(When|Where) /, '$1 exactly ');
    return undefined;
  },
  calledSwap: (q) => {
    if (/\b(is|was|are|were) called\b/.test(q)) return q.replace(/\b(is|was|are|were) called\b/, '$1 known as');
    if (/\b(is|was|are|were) known as\b/.test(q)) return q.replace(/\b(is|was|are|were) known as\b/, '$1 called');
    return undefined;
  },
  whatYear: (q) => (/^What year\b/.test(q) ? q.replace(/^What year\b/, 'In which year') : undefined),
};
const prefixRewrites: Record<string, (question: string) => string> = {
  tellMe: (q) => `Tell me, ${lowerFirst(q)}`,
  doYouKnow: (q) => `Do you know ${lowerFirst(withoutMark(q))}?`,
  canYouTellMe: (q) => `Can you tell me ${lowerFirst(withoutMark(q))}?`,
  quickQuestion: (q) => `Quick question: ${lowerFirst(q)}`,
};

/** A template paraphrase of `question` and the templates used; one word rewrite and/or one prefix. */
function paraphrase(question: string, random: () => number): { text: string; how: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const applicable = Object.entries(wordRewrites)
    .map(([name, rewrite]) => [name, rewrite(question)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  const used: string[] = [];
  let text = question;
  if (applicable.length > 0 && random() < 0.6) {
    const [name, rewritten] = pick(applicable);
    text = rewritten;
    used.push(name);
  }
  if (used.length === 0 || random() < 0.35) {
    const [name, rewrite] = pick(Object.entries(prefixRewrites));
    text = rewrite(text);
    used.push(name);
  }
  return { text, how: used.join('+') };
}

/** The same question again, as people retype it: case, spacing and the question mark vary. */
function retype(question: string, random: () => number): string {
  const variants = [
    (q: string) => q,
    (q: string) => q.toLowerCase(),
    (q: string) => `  ${q.replace(/ /, '   ')} `,
    (q: string) => withoutMark(q),
    (q: string) => `${withoutMark(q)}??`,
    (q: string) => q.toUpperCase(),
    (q: string) => `${lowerFirst(withoutMark(q))}.`,
  ];
  return variants[Math.floor(random() * variants.length)]!(question);
}

/** Capitalised words (not the first) and numbers of a question: what a substitution may swap. */
function swappable(question: string): { entities: string[]; numbers: string[] } {
  const words = question.match(/[\p{L}\p{N}][\p{L}\p{N}'%.-]*/gu) ?? [];
  const entities = words.slice(1).filter((word) => /^\p{Lu}\p{Ll}+$/u.test(word) && !stopWords.has(word.toLowerCase()));
  const numbers = words.filter((word) => /^\d+$/.test(word));
  return { entities, numbers };
}

/** Look-alike pairs: `asked` first, then `nearMiss`, whose answers differ (most alike first). */
function lookAlikePairs(base: readonly BaseQuestion[], minimum: number): { asked: number; nearMiss: number }[] {
  const words = base.map((row) => contentWords(row.question));
  const pairs: { asked: number; nearMiss: number; score: number }[] = [];
  base.forEach((row, nearMiss) => {
    let best: { asked: number; score: number } | undefined;
    base.forEach((other, asked) => {
      if (asked === nearMiss || answersOverlap(row.answers, other.answers)) return;
      const score = jaccard(words[nearMiss]!, words[asked]!);
      if (!best || score > best.score) best = { asked, score };
    });
    if (best && best.score >= minimum) pairs.push({ nearMiss, ...best });
  });
  return pairs.sort((a, b) => b.score - a.score || a.nearMiss - b.nearMiss);
}

/** How many of each kind a stream of `size` holds, and how the near-misses split. */
export interface WorkloadPlan {
  counts: Record<WorkloadKind, number>;
  datasetNearMisses: number;
}

/**
 * A deterministic stream of `size` questions over `base`. Repeats and paraphrases pick earlier
 * questions by a Zipf-like popularity (a few questions are asked again and again, as in a support
 * queue). Near-misses are either a real question that looks like an earlier one but has other gold
 * answers (`dataset`), or an earlier question with a name or number swapped for one of another question
 * (`substituted`; its answer is unknown, so any cache hit on it is false).
 */
export function buildWorkload(
  base: readonly BaseQuestion[], size: number, seed = 20_240_601, mix: WorkloadMix = defaultMix,
): { items: WorkloadItem[]; plan: WorkloadPlan } {
  const random = seededRandom(seed);
  const shuffle = <T>(items: T[]): T[] => {
    for (let index = items.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [items[index], items[other]] = [items[other]!, items[index]!];
    }
    return items;
  };

  const nearMissCount = Math.round(size * mix['near-miss']);
  // Dataset near-misses: each held-back question is asked only after its look-alike was.
  const reserved = new Set<number>();
  const pairs: { asked: number; nearMiss: number }[] = [];
  for (const pair of lookAlikePairs(base, 0.3)) {
    if (pairs.length >= Math.floor(nearMissCount / 2)) break;
    const taken = reserved.has(pair.nearMiss) || reserved.has(pair.asked) ||
      pairs.some((other) => other.asked === pair.nearMiss);
    if (taken) continue;
    reserved.add(pair.nearMiss);
    pairs.push(pair);
  }
  const newCount = Math.min(Math.round(size * mix.new), base.length - reserved.size);
  const paraphraseCount = Math.round(size * mix.paraphrase);
  const counts: Record<WorkloadKind, number> = {
    new: newCount, paraphrase: paraphraseCount, 'near-miss': nearMissCount,
    repeat: size - newCount - paraphraseCount - nearMissCount,
  };
  // Questions asked as new: those a near-miss pairs with first, so their near-misses can follow.
  const pairedFirst = [...new Set(pairs.map((pair) => pair.asked))];
  const others = shuffle(base.map((_, index) => index).filter((i) => !reserved.has(i) && !pairedFirst.includes(i)));
  const newOrder = [...shuffle(pairedFirst), ...others].slice(0, newCount);
  const popularity = shuffle(base.map((_, index) => index)).reduce<number[]>((weights, question, rank) => {
    weights[question] = 1 / (rank + 1) ** 0.8;
    return weights;
  }, []);

  const kinds = shuffle(workloadKinds.flatMap((kind) => Array.from({ length: counts[kind] }, () => kind)));
  const firstNew = kinds.indexOf('new');
  if (firstNew > 0) [kinds[0], kinds[firstNew]] = [kinds[firstNew]!, kinds[0]!];

  const asked: number[] = [];
  const askedSet = new Set<number>();
  const ask = (question: number): void => {
    if (!askedSet.has(question)) asked.push(question);
    askedSet.add(question);
  };
  const popular = (): number => {
    const total = asked.reduce((sum, question) => sum + popularity[question]!, 0);
    let target = random() * total;
    for (const question of asked) if ((target -= popularity[question]!) <= 0) return question;
    return asked.at(-1)!;
  };
  const entityPool = [...new Set(base.flatMap((row) => swappable(row.question).entities))].sort();
  const numberPool = [...new Set(base.flatMap((row) => swappable(row.question).numbers))].sort();
  const pendingPairs = [...pairs];
  let nextNew = 0;
  let substituted = 0;
  let datasetNearMisses = 0;

  const items = kinds.map((kind, index): WorkloadItem => {
    if (kind === 'new' || asked.length === 0) {
      const question = newOrder[nextNew++] ?? popular();
      ask(question);
      return { index, kind: 'new', question: base[question]!.question, meaning: base[question]!.id,
        answers: base[question]!.answers };
    }
    if (kind === 'repeat') {
      const question = popular();
      return { index, kind, question: retype(base[question]!.question, random), meaning: base[question]!.id,
        answers: base[question]!.answers, resembles: base[question]!.question };
    }
    if (kind === 'paraphrase') {
      const question = popular();
      const rewritten = paraphrase(base[question]!.question, random);
      return { index, kind, question: rewritten.text, meaning: base[question]!.id, answers: base[question]!.answers,
        resembles: base[question]!.question, how: rewritten.how };
    }
    const ready = pendingPairs.findIndex((pair) => askedSet.has(pair.asked));
    if (ready >= 0) {
      const [pair] = pendingPairs.splice(ready, 1);
      const row = base[pair!.nearMiss]!;
      ask(pair!.nearMiss);
      datasetNearMisses += 1;
      return { index, kind, question: row.question, meaning: row.id, answers: row.answers,
        resembles: base[pair!.asked]!.question, how: 'dataset' };
    }
    // Substituted: swap a number, else a name, of an earlier question for one of another question.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const original = base[popular()]!.question;
      const { entities, numbers } = swappable(original);
      const pool = numbers.length > 0 ? numberPool : entityPool;
      const targets = numbers.length > 0 ? numbers : entities;
      if (targets.length === 0) continue;
      const target = targets[Math.floor(random() * targets.length)]!;
      const choices = pool.filter((word) => !original.includes(word));
      const replacement = choices[Math.floor(random() * choices.length)];
      if (!replacement) continue;
      const text = original.replace(new RegExp(`\\b${target}\\b`), replacement);
      substituted += 1;
      return { index, kind, question: text, meaning: `sub:${substituted}`, answers: [], resembles: original,
        how: `substituted ${target} -> ${replacement}` };
    }
    const question = popular();
    return { index, kind: 'repeat', question: base[question]!.question, meaning: base[question]!.id,
      answers: base[question]!.answers, resembles: base[question]!.question };
  });
  const actual = Object.fromEntries(workloadKinds.map((kind) => [kind, items.filter((i) => i.kind === kind).length]));
  return { items, plan: { counts: actual as Record<WorkloadKind, number>, datasetNearMisses } };
}

/** A small built-in set for when ../shared/eval/rag is absent: passages and questions about them. */
export const builtInCorpus: { id: string; title: string; text: string }[] = [
  { id: 'refunds#0', title: 'Refunds', text: 'Customers may request a refund within 30 days of delivery. Refunds ' +
    'are paid to the original payment method within five business days after the item arrives at our warehouse.' },
  { id: 'shipping#0', title: 'Shipping', text: 'Orders over 50 dollars ship free within the country. Express ' +
    'shipping costs 12 dollars and arrives in two business days. International orders take ten to fourteen days.' },
  { id: 'support#0', title: 'Support', text: 'The support desk in Lisbon is open from 8 am to 6 pm on weekdays. ' +
    'The support desk in Toronto answers calls on Saturdays. Premium customers are called back within one hour.' },
  { id: 'accounts#0', title: 'Accounts', text: 'An account is locked after five failed sign-in attempts. A locked ' +
    'account is unlocked by the reset link sent by email, which expires after 24 hours.' },
];
export const builtInQuestions: BaseQuestion[] = [
  { id: 'b1', question: 'How many days do customers have to request a refund?', answers: ['30 days'] },
  { id: 'b2', question: 'How much does express shipping cost?', answers: ['12 dollars'] },
  { id: 'b3', question: 'What orders ship free?', answers: ['over 50 dollars'] },
  { id: 'b4', question: 'When is the support desk in Lisbon open?', answers: ['8 am to 6 pm'] },
  { id: 'b5', question: 'Which support desk answers calls on Saturdays?', answers: ['Toronto'] },
  { id: 'b6', question: 'How many failed sign-in attempts lock an account?', answers: ['five'] },
  { id: 'b7', question: 'When does the reset link expire?', answers: ['24 hours'] },
  { id: 'b8', question: 'How long do international orders take?', answers: ['ten to fourteen days'] },
];
