import { gateNames, type GateDecision, type GateEvidence } from '../../../contracts/gates';
import { roundScore, type Gate, type GateContext } from '../gate';
import { splitSentences } from '../../split-sentences';
import { matchingText } from '../text/normalise';

// Function words carry no claim; dropping them keeps "the answer is X" from counting as support.
const stopWords = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its may ' +
    'might more most no not of on or our so such than that the their them then there these they this to was we ' +
    'were what when where which who why will with would you your ' +
    'der die das und ist sind ein eine einer eines zu den dem des mit von im in auf für nicht es sich auch als wie ' +
    'wird werden kann'
  ).split(' '),
);

/** Content words of a text, lightly stemmed so "crashes" supports "crash". */
export function contentWords(text: string): string[] {
  return (matchingText(text).match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => word.length > 2 && !stopWords.has(word))
    .map((word) => word.replace(/(ing|ed|es|s)$/, '') || word);
}

const markersIn = (text: string): number[] => [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));

/** One sentence of the answer and the citation markers it carries, e.g. [1][3]. */
export function splitClaims(answer: string): { text: string; markers: number[] }[] {
  const claims: { text: string; markers: number[] }[] = [];
  // Lines first (list items are claims of their own), then sentences that know initials, abbreviations and
  // decimals ("John W. Weeks", "3.5 GB"). Markers opening a sentence ("… crashes. [1] The …") close the one before.
  for (const line of answer.split('\n')) {
    for (const sentence of splitSentences(line)) {
      const leading = /^(?:\s*\[\d+\])+/.exec(sentence)?.[0] ?? '';
      const previous = claims.at(-1);
      if (leading && previous) previous.markers.push(...markersIn(leading));
      const rest = sentence.slice(previous ? leading.length : 0);
      claims.push({ text: rest.replace(/\[\d+\]/g, '').trim(), markers: markersIn(rest) });
    }
  }
  return claims.filter((claim) => claim.text.length > 0);
}

/** Share of a claim's content words that occur in the evidence; the offline judge reuses it. */
export function support(claimWords: readonly string[], evidenceWords: ReadonlySet<string>): number {
  if (claimWords.length === 0) return 1;
  return claimWords.filter((word) => evidenceWords.has(word)).length / claimWords.length;
}

/**
 * Groundedness: each claim (sentence) of the answer must be supported by the passages it cites;
 * a claim without a citation is checked against all passages. The score is the share of
 * claims supported; claims with fewer than three content words (greetings, connectives) are skipped.
 */
export class GroundednessGate implements Gate {
  readonly name = gateNames.groundedness;
  constructor(private readonly options: { claimSupport: number; minScore: number; action: 'block' | 'review' }) {}

  check(text: string, context: GateContext): GateDecision {
    const evidence: readonly GateEvidence[] = context.evidence ?? [];
    const wordsOf = new Map(evidence.map((item) => [item.marker, new Set(contentWords(item.text))]));
    const allWords = new Set(evidence.flatMap((item) => [...(wordsOf.get(item.marker) ?? [])]));
    const claims = splitClaims(text)
      .map((claim) => ({ ...claim, words: contentWords(claim.text) }))
      .filter((claim) => claim.words.length >= 3);
    if (claims.length === 0)
      return { gate: this.name, action: 'allow', reasons: [], scores: { groundedness: 1 }, unchecked: false };
    const reasons: string[] = [];
    let supported = 0;
    claims.forEach((claim, index) => {
      const cited = claim.markers.filter((marker) => wordsOf.has(marker));
      const evidenceWords = cited.length > 0 ? new Set(cited.flatMap((marker) => [...wordsOf.get(marker)!])) : allWords;
      if (claim.markers.some((marker) => !wordsOf.has(marker)))
        reasons.push(`claim ${index + 1} cites a passage that was not retrieved`);
      if (support(claim.words, evidenceWords) >= this.options.claimSupport) supported += 1;
      else
        reasons.push(
          `claim ${index + 1} is not supported by ${cited.length > 0 ? 'its cited passage' : 'any passage'}`,
        );
    });
    const score = supported / claims.length;
    return {
      gate: this.name,
      action: score < this.options.minScore ? this.options.action : 'allow',
      reasons,
      scores: { groundedness: roundScore(score) },
      unchecked: false,
    };
  }
}
