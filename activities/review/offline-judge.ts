import { evidenceFromCitations } from '../../contracts/citations';
import { groundednessGateConfigSchema } from '../../contracts/gate-config';
import { overallJudgeScore, type JudgeInput, type JudgeResult, type RubricCriterion } from '../../contracts/refinement';
import type { Citation, ScoredChunk } from '../../contracts/retrieval';
import { roundScore } from '../gates/gate';
import { contentWords, splitClaims, support } from '../gates/output/groundedness-gate';
import { matchingText } from '../gates/text/normalise';
import { contentTokens, stemToken } from '../retrieval/tokenize';

// The offline judge: scores a draft with the same lexical checks the output gates use, so a
// draft the loop releases is one the groundedness gate will also let through.

export { judgeWeights } from '../../contracts/refinement';

/** Share of a claim's content words its cited passages must contain: the groundedness gate's default. */
export const claimSupport = groundednessGateConfigSchema.parse({}).claimSupport;

/** Evidence per marker as the output gate sees it: the cited chunk, or its quote when the chunk is gone. */
export function evidenceByMarker(
  citations: readonly Citation[], passages: readonly ScoredChunk[],
): Map<number, string> {
  return new Map(evidenceFromCitations(citations, passages).map((evidence) => [evidence.marker, evidence.text]));
}

/** One checked claim of a draft; `index` is 1-based among checked claims, as the gate numbers them. */
export interface ClaimCheck {
  index: number;
  text: string;
  markers: number[];
  /** Markers with no evidence behind them. */
  unknownMarkers: number[];
  supported: boolean;
}

/** The groundedness gate's per-claim check: claims with fewer than three content words are skipped. */
export function checkClaims(draft: string, evidence: ReadonlyMap<number, string>): ClaimCheck[] {
  const wordsOf = new Map([...evidence].map(([marker, text]) => [marker, new Set(contentWords(text))]));
  const allWords = new Set([...wordsOf.values()].flatMap((words) => [...words]));
  const claims = splitClaims(draft).map((claim) => ({ ...claim, words: contentWords(claim.text) }))
    .filter((claim) => claim.words.length >= 3);
  return claims.map((claim, position) => {
    const cited = claim.markers.filter((marker) => wordsOf.has(marker));
    const evidenceWords = cited.length > 0 ? new Set(cited.flatMap((marker) => [...wordsOf.get(marker)!])) : allWords;
    return {
      index: position + 1, text: claim.text, markers: claim.markers,
      unknownMarkers: claim.markers.filter((marker) => !wordsOf.has(marker)),
      supported: support(claim.words, evidenceWords) >= claimSupport,
    };
  });
}

// Words that frame a question rather than say what it is about; a draft need not repeat them.
const framingWords = new Set(
  'please tell explain describe me my we our us should could get give know want need happen happens'.split(' '),
);
// PII placeholders such as [EMAIL_1] stand for values a draft should not repeat.
const placeholders = /\[[A-Z]+(?:_[A-Z]+)*_\d+\]/g;

/** Stemmed content terms of a text (citation markers and PII placeholders left out). */
export function textTerms(text: string): Set<string> {
  return new Set(termTokens(text).map(stemToken));
}

function termTokens(text: string): string[] {
  return contentTokens(text.replace(placeholders, ' ').replace(/\[\d+\]/g, ' '))
    .filter((token) => token.length > 1 && !framingWords.has(token));
}

/** The question's stemmed content terms, each with the word it was first seen as (for critique lines). */
export function questionTerms(question: string): Map<string, string> {
  const terms = new Map<string, string>();
  for (const token of termTokens(question)) if (!terms.has(stemToken(token))) terms.set(stemToken(token), token);
  return terms;
}

/** A criterion without keywords is for model judges, so the offline judge counts it met. */
function rubricMet(draft: string, criterion: RubricCriterion): boolean {
  const text = matchingText(draft);
  return criterion.keywords.length === 0 || criterion.keywords.some((keyword) => text.includes(matchingText(keyword)));
}

const snippet = (text: string): string => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
const markerList = (markers: readonly number[]): string => markers.map((marker) => `[${marker}]`).join(', ');

function claimLines(claims: readonly ClaimCheck[]): string[] {
  return claims.flatMap((claim) => {
    const lines = claim.unknownMarkers.length > 0
      ? [`claim ${claim.index} cites ${markerList(claim.unknownMarkers)}, which is not a retrieved passage`] : [];
    if (claim.supported) return lines;
    const cited = claim.markers.filter((marker) => !claim.unknownMarkers.includes(marker));
    const by = cited.length === 0 ? 'any passage'
      : `${cited.length === 1 ? 'passage' : 'passages'} ${markerList(cited)}`;
    return [...lines, `claim ${claim.index} is not supported by ${by}: ${snippet(claim.text)}`];
  });
}

// Only plain words are named: an uncovered term with digits could be an account or phone number.
function coverageLine(missing: readonly string[]): string[] {
  if (missing.length === 0) return [];
  const named = missing.filter((word) => /^\p{L}+$/u.test(word));
  const others = missing.length - named.length;
  if (named.length === 0) return [`${missing.length} of the question's terms are not covered`];
  const more = others > 0 ? ` (and ${others} more)` : '';
  return [`the question's ${named.length === 1 ? 'term' : 'terms'} ${named.join(', ')}${more} `
    + `${named.length === 1 ? 'is' : 'are'} not covered`];
}

/** Scores a draft offline: groundedness as the output gate, coverage of the question, the route's rubric. */
export function judgeDraftOffline(input: JudgeInput): JudgeResult {
  // Nothing to judge: an empty draft must never pass a threshold on vacuous groundedness.
  if (!input.draft.trim()) {
    const scores = { groundedness: 0, coverage: 0, rubric: 0, overall: 0 };
    return { scores, critique: ['the draft is empty'], judge: 'offline' };
  }
  const claims = checkClaims(input.draft, evidenceByMarker(input.citations, input.passages));
  const groundedness = claims.length === 0 ? 1 : claims.filter((claim) => claim.supported).length / claims.length;

  const asked = questionTerms(input.question);
  const answered = textTerms(input.draft);
  const missing = [...asked].filter(([term]) => !answered.has(term)).map(([, word]) => word);
  const coverage = asked.size === 0 ? 1 : (asked.size - missing.length) / asked.size;

  const unmet = input.rubric.filter((criterion) => !rubricMet(input.draft, criterion));
  const rubric = input.rubric.length === 0 ? 1 : (input.rubric.length - unmet.length) / input.rubric.length;

  const parts = { groundedness: roundScore(groundedness), coverage: roundScore(coverage), rubric: roundScore(rubric) };
  const critique = [
    ...claimLines(claims),
    ...coverageLine(missing),
    ...unmet.map((criterion) =>
      `rubric: ${criterion.criterion} not met (mention any of: ${criterion.keywords.join(', ')})`),
  ];
  // The weights are shared with model judges (contracts/refinement.ts), so their scores compare.
  const overall = overallJudgeScore({ groundedness, coverage, rubric });
  return { scores: { ...parts, overall }, critique, judge: 'offline' };
}
