import type { ContextPolicy, PackedContext, PackedPassage, ScoredChunk } from '../../contracts/retrieval';
import { focusOnQuestion } from './focus-sentences';
import { contentTokens } from './tokenize';
import { countTextTokens } from './text-tokens';

export interface PackOptions {
  /** Most prompt tokens the passages may take together (cl100k_base). */
  tokenBudget: number;
  /** Word-set Jaccard similarity at or above which a passage repeats a better one. @default 0.8 */
  duplicateThreshold?: number;
  /** Tokens each passage adds around its text (citation header, separators). @default 12 */
  overheadTokens?: number;
  /** Most passages kept, best first (the route's `context.maxPassages`). @default no limit */
  maxPassages?: number;
  /** Share (0-1) of the best candidate's score a passage must reach (`context.minRelativeScore`). @default 0 */
  minRelativeScore?: number;
  /** Keep this many sentences of each passage, those nearest the question (`context.focusSentences`). */
  focus?: { question: string; sentences: number };
}

/**
 * The pack options a route's context policy gives a request's token budget: its `maxTokens` only lowers it.
 * `question` (the query searched with) is what `focusSentences` ranks sentences by; it is needed only then.
 */
export function packOptionsFor(tokenBudget: number, policy: ContextPolicy | undefined, question?: string): PackOptions {
  if (!policy) return { tokenBudget };
  const { maxPassages, minRelativeScore, maxTokens, focusSentences } = policy;
  if (focusSentences !== undefined && question === undefined) {
    throw new Error('context.focusSentences needs the question the passages were retrieved for');
  }
  const focus = focusSentences !== undefined && question !== undefined
    ? { question, sentences: focusSentences } : undefined;
  return {
    tokenBudget: Math.min(tokenBudget, maxTokens ?? tokenBudget),
    ...(maxPassages !== undefined ? { maxPassages } : {}),
    ...(minRelativeScore !== undefined ? { minRelativeScore } : {}),
    ...(focus ? { focus } : {}),
  };
}

/** The lowest score kept: a share of the best one. A best score of 0 or less (a reranker's logit) gives no scale. */
function scoreFloor(ranked: readonly ScoredChunk[], share: number | undefined): number {
  const best = ranked[0]?.score ?? 0;
  return share === undefined || share <= 0 || best <= 0 ? Number.NEGATIVE_INFINITY : best * share;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Chooses passages for a prompt: best first, skipping near-duplicates (overlapping chunks of one
 * document, the same text ingested twice) and passages that no longer fit the budget, so a long
 * context doesn't pay for repeats. A route's context policy also leaves out passages scoring far
 * under the best and those past its passage count, and can cut each kept passage to the sentences nearest
 * the question (its token cost counted after the cut). Each kept passage carries what a citation needs.
 */
export function packContext(candidates: readonly ScoredChunk[], options: PackOptions): PackedContext {
  const threshold = options.duplicateThreshold ?? 0.8;
  const overhead = options.overheadTokens ?? 12;
  const ranked = [...candidates].sort((a, b) => b.score - a.score);
  const floor = scoreFloor(ranked, options.minRelativeScore);
  const maxPassages = options.maxPassages ?? Number.POSITIVE_INFINITY;
  const kept: { passage: PackedPassage; words: Set<string> }[] = [];
  const droppedDuplicates: string[] = [];
  const droppedOverBudget: string[] = [];
  const droppedByPolicy: string[] = [];
  const elidedByPolicy: Record<string, number> = {};
  // Sentence weights come from the whole retrieved set, so one passage's cut doesn't depend on packing order.
  const focusOf = options.focus && focusOnQuestion(
    options.focus.question, ranked.map((candidate) => candidate.text), options.focus.sentences);
  let totalTokens = 0;
  for (const candidate of ranked) {
    if (candidate.score < floor || kept.length >= maxPassages) {
      droppedByPolicy.push(candidate.id);
      continue;
    }
    const words = new Set(contentTokens(candidate.text));
    if (kept.some((entry) => jaccard(entry.words, words) >= threshold)) {
      droppedDuplicates.push(candidate.id);
      continue;
    }
    // Near-duplicates are judged on the whole text above; the cut is what the prompt carries.
    const focused = focusOf?.(candidate.text) ?? { text: candidate.text, elided: 0 };
    const tokens = countTextTokens(`${candidate.title}\n${focused.text}`) + overhead;
    // Keep looking after a miss: a shorter, lower-ranked passage may still fit.
    if (totalTokens + tokens > options.tokenBudget) {
      droppedOverBudget.push(candidate.id);
      continue;
    }
    totalTokens += tokens;
    if (focused.elided > 0) elidedByPolicy[candidate.id] = focused.elided;
    kept.push({ passage: { ...candidate, text: focused.text, tokens }, words });
  }
  return {
    passages: kept.map((entry) => entry.passage), totalTokens, droppedDuplicates, droppedOverBudget,
    // Only when the policy left something out, so a run without one records what it always did.
    ...(droppedByPolicy.length > 0 ? { droppedByPolicy } : {}),
    ...(Object.keys(elidedByPolicy).length > 0 ? { elidedByPolicy } : {}),
  };
}
