// The summary and examples lines of the savings bench (bench/cache/savings.ts): paid tokens, correctness and
// latency of each arm against the naive one, and for each cached arm its hits, false hits and missed hits.
import type { ContextPolicy } from '../../contracts/retrieval';
import { percentile } from '../stats';
import { print, ratio, released, round } from './answer-stack';
import { questionKey, workloadKinds, type WorkloadItem, type WorkloadKind, type WorkloadMix } from './savings-workload';

/** The bench's arms, run in this order on the same workload. */
export const arms = ['naive', 'cached', 'trimmed'] as const;
export type Arm = (typeof arms)[number];

/** What one answer of a run gave. */
export interface Outcome {
  item: WorkloadItem;
  /** `performance.now()` when the run asked and when the answer came back. */
  startedAt: number;
  finishedAt: number;
  latencyMs: number;
  status: string;
  answer: string;
  correct: boolean | undefined;
  /** Whether the item's base question is in the held-out half of the context-policy split. */
  heldOut: boolean;
  hit?: 'exact' | 'semantic';
  cachedQuestion?: string;
  score?: number;
  /** Tokens the result says generation used (0 for a hit). */
  usageTokens: number;
  /** Gates whose decision was not `allow` (a flagged answer is auto-rejected and never cached). */
  flaggedBy: string[];
}

export interface SummaryInput {
  items: readonly WorkloadItem[];
  runs: Record<Arm, Outcome[]>;
  paidTokens: Record<Arm, number>;
  datasetNearMisses: number;
  source: string;
  started: number;
  seed: number;
  mix: WorkloadMix;
  trimmedContext: ContextPolicy;
}

const graded = (outcomes: readonly Outcome[]) => outcomes.filter((outcome) => outcome.correct !== undefined);
const correctness = (outcomes: readonly Outcome[]) =>
  ratio(graded(outcomes).filter((outcome) => outcome.correct).length, graded(outcomes).length);
const p50Of = (outcomes: readonly Outcome[]) => round(percentile(outcomes.map((outcome) => outcome.latencyMs), 0.5), 1);

/** Questions of the workload by meaning, and which were asked before (a perfect cache's hits). */
function askings(items: readonly WorkloadItem[]) {
  const firstAsked = new Map<string, number>();
  items.forEach((item, index) => void (firstAsked.has(item.meaning) || firstAsked.set(item.meaning, index)));
  const first = (index: number): number => firstAsked.get(items[index]!.meaning)!;
  return { first, askedBefore: (index: number): boolean => first(index) < index };
}

/** Hits, false hits and hit rates of one cached arm. */
function cacheStats(items: readonly WorkloadItem[], outcomes: readonly Outcome[]) {
  // A served cachedQuestion is matched back to what it asked through the bench's own normal form.
  const meaningOf = new Map<string, WorkloadItem>();
  for (const item of items) {
    const key = questionKey(item.question);
    if (!meaningOf.has(key)) meaningOf.set(key, item);
  }
  const falseHits: Outcome[] = [];
  const crossQuestionHits: Outcome[] = [];
  for (const outcome of outcomes) {
    if (!outcome.hit) continue;
    const source = meaningOf.get(questionKey(outcome.cachedQuestion ?? ''));
    if (source?.meaning === outcome.item.meaning) continue;
    crossQuestionHits.push(outcome);
    // False: the cached answer belongs to a question whose gold answers differ (or are unknown).
    const sameGold = source !== undefined && source.answers.length > 0 && outcome.item.answers.length > 0 &&
      source.answers.some((a) => outcome.item.answers.some((b) => a.toLowerCase() === b.toLowerCase()));
    if (!sameGold) falseHits.push(outcome);
  }
  // A repeat or paraphrase asked while the first asking of its question was still running cannot hit.
  const { first, askedBefore } = askings(items);
  const inFlight = (outcome: Outcome, index: number): boolean =>
    askedBefore(index) && outcomes[first(index)]!.finishedAt > outcome.startedAt;
  const byKind = Object.fromEntries(workloadKinds.map((kind) => {
    const ofKind = outcomes.filter((outcome) => outcome.item.kind === kind);
    const hits = ofKind.filter((outcome) => outcome.hit);
    const settled = outcomes.filter((outcome, index) => outcome.item.kind === kind && !inFlight(outcome, index));
    return [kind, {
      n: ofKind.length, hit_rate: ratio(hits.length, ofKind.length),
      exact: hits.filter((outcome) => outcome.hit === 'exact').length,
      semantic: hits.filter((outcome) => outcome.hit === 'semantic').length,
      first_asking_in_flight: ofKind.length - settled.length,
      hit_rate_first_asking_done: ratio(settled.filter((outcome) => outcome.hit).length, settled.length),
    }];
  })) as Record<WorkloadKind, unknown>;
  const hitsOf = outcomes.filter((outcome) => outcome.hit);
  const shouldMiss = outcomes.filter((outcome) => outcome.item.kind === 'near-miss' || outcome.item.kind === 'new');
  const paraphraseHitsByTemplate: Record<string, string> = {};
  const templates = [...new Set(outcomes.filter((o) => o.item.kind === 'paraphrase').map((o) => o.item.how!))].sort();
  for (const template of templates) {
    const ofTemplate = outcomes.filter((outcome) => outcome.item.how === template);
    paraphraseHitsByTemplate[template] = `${ofTemplate.filter((outcome) => outcome.hit).length}/${ofTemplate.length}`;
  }
  // Misses the cache could have served: the first asking was released and done before this one started.
  const servable = (outcome: Outcome, index: number): boolean => askedBefore(index) && !inFlight(outcome, index) &&
    outcomes[first(index)]!.status === 'answered' && !outcome.hit;
  return {
    stats: {
      hit_rate: ratio(hitsOf.length, outcomes.length), hit_rate_by_kind: byKind,
      paraphrase_hits_by_template: paraphraseHitsByTemplate,
      false_hits: falseHits.length,
      false_hits_by_kind: Object.fromEntries(workloadKinds.map((kind) =>
        [kind, falseHits.filter((outcome) => outcome.item.kind === kind).length])),
      // A question served another's answer is never stored under its own key, so its repeats hit the same entry.
      false_hit_distinct_questions: new Set(falseHits.map((outcome) => outcome.item.meaning)).size,
      false_hit_rate_new_and_near_miss: ratio(
        falseHits.filter((o) => o.item.kind === 'near-miss' || o.item.kind === 'new').length, shouldMiss.length),
      false_hits_per_hit: ratio(falseHits.length, hitsOf.length),
      cross_question_hits_same_gold: crossQuestionHits.length - falseHits.length,
      latency_p50_ms: { hits: p50Of(hitsOf), misses: p50Of(outcomes.filter((outcome) => !outcome.hit)) },
    },
    falseHits,
    missedParaphrases: outcomes.filter((o, index) => o.item.kind === 'paraphrase' && servable(o, index)),
    missedRepeats: outcomes.filter((o, index) => o.item.kind === 'repeat' && servable(o, index)),
  };
}

/** Prints the summary line (every arm against `naive`) and the examples line (the `cached` arm). */
export function summarise(input: SummaryInput): void {
  const { items, runs, paidTokens, mix } = input;
  const { naive } = runs;
  const { first, askedBefore } = askings(items);
  // What a perfect cache would save: every question asked before (same meaning) served without a call.
  const naiveTokens = naive.reduce((sum, outcome) => sum + outcome.usageTokens, 0);
  const repeatedTokens = naive.reduce((sum, outcome, index) => sum + (askedBefore(index) ? outcome.usageTokens : 0), 0);
  // Released answers only are stored: a question whose first answer was rejected is generated every time.
  const cacheableTokens = naive.reduce((sum, outcome, index) => sum + (askedBefore(index) &&
    naive[first(index)]!.status === 'answered' ? outcome.usageTokens : 0), 0);
  const changed = (other: readonly Outcome[]) => {
    let worse = 0;
    let better = 0;
    naive.forEach((outcome, index) => {
      if (outcome.correct === true && other[index]!.correct === false) worse += 1;
      if (outcome.correct === false && other[index]!.correct === true) better += 1;
    });
    return { right_in_naive_wrong_here: worse, wrong_in_naive_right_here: better };
  };
  const cached = cacheStats(items, runs.cached);
  const trimmed = cacheStats(items, runs.trimmed);
  const perArm = <T>(of: (arm: Arm) => T): Record<Arm, T> =>
    Object.fromEntries(arms.map((arm) => [arm, of(arm)])) as Record<Arm, T>;
  print({
    bench: 'answer_cache_savings', summary: true, questions: items.length, data: input.source, seed: input.seed,
    mix: {
      target: mix, actual: Object.fromEntries(workloadKinds.map((kind) =>
        [kind, items.filter((item) => item.kind === kind).length])),
      near_miss_dataset: input.datasetNearMisses,
      near_miss_substituted: items.filter((i) => i.how?.startsWith('substituted')).length,
      paraphrases: 'template rewrites (What->Which, Tell me/Do you know/Can you tell me/Quick question prefixes, ' +
        'exactly added or dropped, is called <-> is known as), not human paraphrases',
    },
    context_trimmed: input.trimmedContext,
    // Tokens as the fake provider counted them (input + output, every request it answered).
    paid_tokens: paidTokens,
    paid_token_reduction_pct: {
      cached: round((1 - paidTokens.cached / paidTokens.naive) * 100, 2),
      trimmed: round((1 - paidTokens.trimmed / paidTokens.naive) * 100, 2),
    },
    // Ceiling set by the mix: the share of naive tokens spent on questions whose meaning was asked before.
    perfect_cache_reduction_pct: round((repeatedTokens / naiveTokens) * 100, 2),
    perfect_cache_reduction_released_only_pct: round((cacheableTokens / naiveTokens) * 100, 2),
    correctness: perArm((arm) => correctness(runs[arm])),
    // The trimmed arm's policy was chosen on the other half: this is the figure that was not tuned on.
    correctness_held_out: perArm((arm) => correctness(runs[arm].filter((outcome) => outcome.heldOut))),
    withheld_share: perArm((arm) => ratio(runs[arm].filter((o) => !released(o.status)).length, items.length)),
    changed_against_naive: { cached: changed(runs.cached), trimmed: changed(runs.trimmed) },
    cache: { cached: cached.stats, trimmed: trimmed.stats },
    latency_p50_ms: perArm((arm) => p50Of(runs[arm])),
    total_wall_s: round((performance.now() - input.started) / 1000, 1),
  });
  const show = (outcome: Outcome) => ({
    kind: outcome.item.kind, how: outcome.item.how, question: outcome.item.question,
    resembles: outcome.item.resembles, served_for: outcome.cachedQuestion, score: outcome.score,
  });
  print({
    bench: 'answer_cache_savings', examples: true, arm: 'cached',
    false_hits: cached.falseHits.slice(0, 10).map(show),
    missed_paraphrases: cached.missedParaphrases.slice(0, 10).map(show),
    missed_paraphrases_servable: cached.missedParaphrases.length,
    missed_repeats: cached.missedRepeats.slice(0, 5).map(show),
    missed_repeats_servable: cached.missedRepeats.length,
  });
}
