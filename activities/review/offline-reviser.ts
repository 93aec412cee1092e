import { citationsFromMarkers } from '../../contracts/citations';
import type { ReviseInput, ReviseResult } from '../../contracts/refinement';
import type { ScoredChunk } from '../../contracts/retrieval';
import { contentWords, splitClaims, support } from '../gates/output/groundedness-gate';
import { matchingText } from '../gates/text/normalise';
import { contentTokens, stemToken } from '../retrieval/tokenize';
import { claimSupport, questionTerms, textTerms } from './offline-judge';

// The offline reviser invents nothing: it keeps the draft's supported sentences, drops the rest and
// quotes passage sentences that cover what the draft misses. Markers in its text are passage
// positions ([n] is passages[n-1]), as a model's grounded prompt numbers them.

/** Most sentences one revision adds, so a draft grows in steps the judge can tell apart. */
const maxAdded = 2;

interface Sentence {
  text: string;
  /** 0-based passage indexes the sentence cites. */
  passages: number[];
}

interface Candidate extends Sentence {
  terms: Set<string>;
  order: number;
}

// Words of the judge's own phrasing; they say what is wrong, not what the answer is about.
const critiqueWords = new Set(('claim claims cite cites supported support passage passages question term terms covered '
  + 'cover rubric met mention draft retrieved empty none any not more').split(' '));


const sameText = (text: string): string => matchingText(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const asSentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);
const render = (sentence: Sentence): string => (sentence.passages.length === 0 ? asSentence(sentence.text)
  : `${asSentence(sentence.text)} ${sentence.passages.map((index) => `[${index + 1}]`).join('')}`);

/** The draft's claims that its passages support, re-cited to a passage that supports them when needed. */
function supportedSentences(input: ReviseInput, passageWords: readonly Set<string>[]): Sentence[] {
  // A draft's marker means whatever its citation names; map it back to a passage position.
  const passageOf = new Map<number, number>();
  for (const citation of input.citations) {
    const index = input.passages.findIndex((passage) => passage.documentId === citation.documentId
      && passage.chunkIndex === citation.chunkIndex);
    if (index >= 0) passageOf.set(citation.marker, index);
  }
  const kept: Sentence[] = [];
  for (const claim of splitClaims(input.draft)) {
    const cited = [...new Set(claim.markers.flatMap((marker) => passageOf.get(marker) ?? []))].sort((a, b) => a - b);
    const words = contentWords(claim.text);
    // Too short for the judge to check (greetings, connectives): kept as they are.
    if (words.length < 3) kept.push({ text: claim.text, passages: cited });
    else if (cited.length > 0
      && support(words, new Set(cited.flatMap((index) => [...passageWords[index]!]))) >= claimSupport) {
      kept.push({ text: claim.text, passages: cited });
    } else {
      const scores = passageWords.map((evidence) => support(words, evidence));
      const best = scores.indexOf(Math.max(-1, ...scores));
      if (best >= 0 && scores[best]! >= claimSupport) kept.push({ text: claim.text, passages: [best] });
    }
  }
  // A sentence said twice is kept once.
  const seen = new Set<string>();
  return kept.filter((sentence) => {
    const key = sameText(sentence.text);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whole sentences of a passage, split as the judge splits claims, so one quoted sentence is one claim. */
function passageSentences(passage: ScoredChunk): string[] {
  return splitClaims(passage.text.replace(/\[\d+\]/g, ' ')).map((claim) => claim.text)
    .filter((text) => /^[\p{Lu}\p{N}]/u.test(text) && /[.!?]$/.test(text) && text.length >= 20
      && contentWords(text).length >= 3);
}

/** Terms the critique names (quoted draft text left out), stemmed like the question's. */
function critiqueTerms(critique: readonly string[]): Set<string> {
  const text = critique.join('\n').replace(/"[^"]*"|“[^”]*”/g, ' ');
  return new Set(contentTokens(text).filter((token) => token.length > 1 && !critiqueWords.has(token)).map(stemToken));
}

interface Gaps {
  /** Terms the draft already has; grows with each pick. */
  covered: Set<string>;
  /** The question's terms. */
  asked: ReadonlySet<string>;
  /** Terms the critique names. */
  hinted: ReadonlySet<string>;
}

/** What a sentence adds: question terms the draft lacks count 1, 2 if the critique names them too. */
function gain(candidate: Candidate, gaps: Gaps): number {
  let total = 0;
  for (const term of candidate.terms) {
    if (gaps.covered.has(term)) continue;
    total += gaps.asked.has(term) ? (gaps.hinted.has(term) ? 2 : 1) : gaps.hinted.has(term) ? 0.5 : 0;
  }
  return total;
}

/** Up to `maxAdded` sentences, each the one adding the most the draft still lacks. */
function pickSentences(candidates: readonly Candidate[], gaps: Gaps, iteration: number): Candidate[] {
  // A sentence already in the draft adds no term, so it never ranks: no separate check needed.
  const rank = (pool: readonly Candidate[]) => pool
    .map((candidate) => ({ candidate, gain: gain(candidate, gaps) }))
    .filter((entry) => entry.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.candidate.order - b.candidate.order);
  // Revisions of the same draft should try different passages: iteration n sets aside the n-1 best
  // strong candidates (at least half the best gain); at least one strong candidate always remains.
  const first = rank(candidates);
  const strong = first.filter((entry) => entry.gain >= first[0]!.gain / 2);
  const setAside = new Set(strong.slice(0, strong.length > 0 ? (iteration - 1) % strong.length : 0)
    .map((entry) => entry.candidate));
  const pool = candidates.filter((candidate) => !setAside.has(candidate));
  const added: Candidate[] = [];
  while (added.length < maxAdded) {
    const pick = rank(pool)[0];
    if (!pick) break;
    added.push(pick.candidate);
    for (const term of pick.candidate.terms) gaps.covered.add(term);
  }
  // Quoted in passage order, the retriever's best first, so the draft reads the same whatever the picks.
  return added.sort((a, b) => a.order - b.order);
}

/** Revises a draft offline: keeps supported sentences, drops the rest, adds passage sentences that cover the gaps. */
export function reviseDraftOffline(input: ReviseInput): ReviseResult {
  const passageWords = input.passages.map((passage) => new Set(contentWords(passage.text)));
  const kept = supportedSentences(input, passageWords);
  const asked = new Set(questionTerms(input.question).keys());
  const hinted = critiqueTerms(input.critique);
  const covered = textTerms(kept.map((sentence) => sentence.text).join(' '));
  const candidates: Candidate[] = input.passages.flatMap((passage, index) => passageSentences(passage)
    .map((text) => ({ text, passages: [index], terms: textTerms(text), order: 0 })))
    .map((candidate, order) => ({ ...candidate, order }));

  const added = pickSentences(candidates, { covered, asked, hinted }, input.iteration);

  const text = [...kept, ...added].map(render).join(' ');
  const usedBefore = new Set(kept.flatMap((sentence) => sentence.passages));
  const strategy = added.some((candidate) => !usedBefore.has(candidate.passages[0]!)) ? 'other-passages'
    : added.length > 0 ? 'more-sentences' : 'supported-only';
  return { text, citations: citationsFromMarkers(text, input.passages), reviser: `offline:${strategy}` };
}
