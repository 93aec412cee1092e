import type { PackedContext, PackedPassage, ScoredChunk } from '../../contracts/retrieval';
import { contentTokens } from './tokenize';
import { countTextTokens } from './text-tokens';

export interface PackOptions {
  /** Most prompt tokens the passages may take together (cl100k_base). */
  tokenBudget: number;
  /** Word-set Jaccard similarity at or above which a passage repeats a better one. @default 0.8 */
  duplicateThreshold?: number;
  /** Tokens each passage adds around its text (citation header, separators). @default 12 */
  overheadTokens?: number;
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
 * context doesn't pay for repeats. Each kept passage carries what a citation needs.
 */
export function packContext(candidates: readonly ScoredChunk[], options: PackOptions): PackedContext {
  const threshold = options.duplicateThreshold ?? 0.8;
  const overhead = options.overheadTokens ?? 12;
  const ranked = [...candidates].sort((a, b) => b.score - a.score);
  const kept: { passage: PackedPassage; words: Set<string> }[] = [];
  const droppedDuplicates: string[] = [];
  const droppedOverBudget: string[] = [];
  let totalTokens = 0;
  for (const candidate of ranked) {
    const words = new Set(contentTokens(candidate.text));
    if (kept.some((entry) => jaccard(entry.words, words) >= threshold)) {
      droppedDuplicates.push(candidate.id);
      continue;
    }
    const tokens = countTextTokens(`${candidate.title}\n${candidate.text}`) + overhead;
    // Keep looking after a miss: a shorter, lower-ranked passage may still fit.
    if (totalTokens + tokens > options.tokenBudget) {
      droppedOverBudget.push(candidate.id);
      continue;
    }
    totalTokens += tokens;
    kept.push({ passage: { ...candidate, tokens }, words });
  }
  return { passages: kept.map((entry) => entry.passage), totalTokens, droppedDuplicates, droppedOverBudget };
}
