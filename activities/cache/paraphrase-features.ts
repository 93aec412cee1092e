import { antonymConflict, parseQuestion, rolesSwapped, type ParsedQuestion } from './paraphrase-parse';

// What the paraphrase model looks at for one pair of questions. Pure: the caller supplies the
// embedding cosine and the word weights (inverse document frequencies, shipped in the model file).

/** Inverse document frequency of a content-word stem: rare words weigh more than common ones. */
export type InverseDocumentFrequency = (stem: string) => number;

/** What the matcher looks at for one pair; 0/1 flags unless said otherwise. */
export interface ParaphraseFeatures {
  /** Cosine of the two L2-normalised embeddings. */
  cosine: number;
  /** Jaccard overlap of content-word stems, 0..1. */
  jaccard: number;
  /** Content-word stems found in one question only (count, both sides together). */
  unmatchedWords: number;
  /** Both questions hold numbers (or model codes) and the sets differ. */
  numberConflict: number;
  /** Only one of the two holds a number. */
  numberOnlyInOne: number;
  /** One question is negated and the other is not, with the rest nearly identical. */
  negationMismatch: number;
  /** Both start from a question word and the words differ (why vs how). */
  questionWordMismatch: number;
  rolesSwapped: number;
  /** One asks about a word's opposite ("higher" vs "lower"). Veto only: not a model input. */
  antonymConflict: number;
  /** One asks for a person, a time or a place and the other for something else ("who" vs "where"). Veto only. */
  slotMismatch: number;
  /** Capitalised names found in one question only (count). */
  unmatchedEntities: number;
  /** Each question names something the other does not: another city, brand or person. */
  entitySubstitution: number;
  /** Content words in the shorter question (count); short questions are vaguer. */
  shorterLength: number;
  /** Share of the content words' IDF weight that both questions hold, 0..1. */
  sharedWeight: number;
  /**
   * IDF weight of the words only one side holds, on the side with less of it: both sides adding rare
   * words is a substitution.
   */
  unmatchedWeightLow: number;
  /** The same for the side with more: one question adding a rare qualifier ("non-Indian", "of all time"). */
  unmatchedWeightHigh: number;
  /** IDF of the rarest word only one side holds. */
  rarestUnmatched: number;
  /** Jaccard overlap of character trigrams: robust to typos and inflections the stems miss. */
  trigramJaccard: number;
  /** Jaccard overlap of adjacent stem pairs: word order and phrasing. */
  bigramJaccard: number;
}

const sameSet = (x: Set<string>, y: Set<string>): boolean => x.size === y.size && [...x].every((item) => y.has(item));
const onlyIn = (from: Set<string>, other: Set<string>): string[] => [...from].filter((item) => !other.has(item));

function jaccard(x: ReadonlySet<string>, y: ReadonlySet<string>): number {
  let shared = 0;
  for (const item of x) if (y.has(item)) shared += 1;
  const union = x.size + y.size - shared;
  return union === 0 ? 1 : shared / union;
}

function characterTrigrams(question: ParsedQuestion): Set<string> {
  const text = ` ${question.words.join(' ')} `;
  const grams = new Set<string>();
  for (let start = 0; start + 3 <= text.length; start += 1) grams.add(text.slice(start, start + 3));
  return grams;
}

function stemBigrams(question: ParsedQuestion): Set<string> {
  const grams = new Set<string>();
  for (let index = 0; index + 1 < question.stems.length; index += 1)
    grams.add(`${question.stems[index]} ${question.stems[index + 1]}`);
  return grams;
}

/** Features of one pair; `cosine` is the embedding similarity of a and b, `idf` weighs content words. */
export function pairFeatures(a: string, b: string, cosine: number, idf: InverseDocumentFrequency): ParaphraseFeatures {
  const left = parseQuestion(a);
  const right = parseQuestion(b);
  const [onlyLeft, onlyRight] = [onlyIn(left.content, right.content), onlyIn(right.content, left.content)];
  const unmatchedWords = onlyLeft.length + onlyRight.length;
  const union = new Set([...left.content, ...right.content]).size;
  const entitiesOnlyInA = onlyIn(left.entities, right.content).length;
  const entitiesOnlyInB = onlyIn(right.entities, left.content).length;
  const weight = (stems: Iterable<string>): number => [...stems].reduce((sum, stem) => sum + idf(stem), 0);
  const [leftWeight, rightWeight] = [weight(onlyLeft), weight(onlyRight)];
  const sharedWeight = weight([...left.content].filter((stem) => right.content.has(stem)));
  const totalWeight = sharedWeight + leftWeight + rightWeight;
  // Negation words and word order differ freely between paraphrases that are worded differently; they
  // change the meaning when the rest is the same words, the case where the cosine is fooled.
  const nearlySameWords = unmatchedWords <= 2;
  const bothHaveNumbers = left.numbers.size > 0 && right.numbers.size > 0;
  return {
    cosine,
    jaccard: union === 0 ? 1 : (union - unmatchedWords) / union,
    unmatchedWords,
    numberConflict: bothHaveNumbers && !sameSet(left.numbers, right.numbers) ? 1 : 0,
    numberOnlyInOne: (left.numbers.size > 0) !== (right.numbers.size > 0) ? 1 : 0,
    // Negation changes the meaning even with a word or two more reworded ("no real military power").
    negationMismatch: unmatchedWords <= 4 && left.negated !== right.negated ? 1 : 0,
    questionWordMismatch:
      left.questionWord && right.questionWord && left.questionWord !== right.questionWord ? 1 : 0,
    rolesSwapped: nearlySameWords && rolesSwapped(left, right) ? 1 : 0,
    antonymConflict: antonymConflict(left, right) ? 1 : 0,
    slotMismatch: left.slot !== right.slot ? 1 : 0,
    unmatchedEntities: entitiesOnlyInA + entitiesOnlyInB,
    entitySubstitution: entitiesOnlyInA > 0 && entitiesOnlyInB > 0 ? 1 : 0,
    shorterLength: Math.min(left.content.size, right.content.size),
    sharedWeight: totalWeight > 0 ? sharedWeight / totalWeight : 1,
    unmatchedWeightLow: Math.min(leftWeight, rightWeight),
    unmatchedWeightHigh: Math.max(leftWeight, rightWeight),
    rarestUnmatched: Math.max(0, ...[...onlyLeft, ...onlyRight].map(idf)),
    trigramJaccard: jaccard(characterTrigrams(left), characterTrigrams(right)),
    bigramJaccard: jaccard(stemBigrams(left), stemBigrams(right)),
  };
}

/** Features that veto a hit whatever the score: the meaning differs, so the cached answer would be wrong. */
export const vetoFeatures = [
  'numberConflict', 'negationMismatch', 'rolesSwapped', 'entitySubstitution', 'antonymConflict', 'slotMismatch',
] as const;

/** Names of the model inputs, in order; the model file lists them so a stale file is refused. */
export const paraphraseInputNames = [
  'cosine', 'jaccard', 'unmatchedWords', 'numberConflict', 'numberOnlyInOne', 'negationMismatch',
  'questionWordMismatch', 'rolesSwapped', 'unmatchedEntities', 'entitySubstitution', 'shorterLength',
  'sharedWeight', 'unmatchedWeightLow', 'unmatchedWeightHigh', 'rarestUnmatched', 'trigramJaccard', 'bigramJaccard',
] as const;

/**
 * The features as the model sees them, before standardisation: counts capped so that a long
 * question's tail does not dominate. antonymConflict and slotMismatch are vetoes, not inputs.
 */
export function paraphraseInputs(features: ParaphraseFeatures): number[] {
  return [
    features.cosine,
    features.jaccard,
    Math.min(features.unmatchedWords, 6),
    features.numberConflict,
    features.numberOnlyInOne,
    features.negationMismatch,
    features.questionWordMismatch,
    features.rolesSwapped,
    Math.min(features.unmatchedEntities, 3),
    features.entitySubstitution,
    Math.min(features.shorterLength, 8),
    features.sharedWeight,
    features.unmatchedWeightLow,
    features.unmatchedWeightHigh,
    features.rarestUnmatched,
    features.trigramJaccard,
    features.bigramJaccard,
  ];
}
