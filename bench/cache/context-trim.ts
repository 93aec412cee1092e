// Chooses a route's context policy (contracts/retrieval.ts `contextPolicySchema`) by measuring, and reports
// it on questions it was not chosen on. JSON lines on stdout, logs on stderr; never pass/fail.
//   npx tsx bench/cache/context-trim.ts [-- --concurrency 8 --settings none,focus2]
// The questions of ../shared/eval/rag are split by article (answer-stack.ts `contextSplit`): every setting
// below answers each `tune` question once on an uncached route (same stack and fake model as the savings
// bench), the rule at `choose` picks one from those figures alone, and then every setting answers each
// `held-out` question, so the chosen one's held-out figures are the ones to quote. A `score_shape` line
// first shows how the scores of the first four passages compare with the best, per search mode.
import type { ContextPolicy, SearchMode } from '../../contracts/retrieval';
import { percentile } from '../stats';
import {
  benchRoute, containsGold, contextSplit, loadEvalData, log, numberOption, print, ratio, released, round, runPool,
  startAnswerStack, type AnswerStack, type EvalQuestion,
} from './answer-stack';

const args = process.argv.slice(2);
const concurrency = numberOption(args, '--concurrency', 8);
const tenant = 'bench-context';
const topK = 4; // the answer request's default

/** The settings tried, by name; `none` is today's behaviour. */
const allSettings: Record<string, ContextPolicy> = {
  'none': {},
  'top1': { maxPassages: 1 },
  'top2': { maxPassages: 2 },
  'top3': { maxPassages: 3 },
  'rel0.55': { minRelativeScore: 0.55 },
  'rel0.7': { minRelativeScore: 0.7 },
  'rel0.8': { minRelativeScore: 0.8 },
  'rel0.9': { minRelativeScore: 0.9 },
  'tok250': { maxTokens: 250 },
  'tok450': { maxTokens: 450 },
  'top2-rel0.55': { maxPassages: 2, minRelativeScore: 0.55 },
  'top3-rel0.55': { maxPassages: 3, minRelativeScore: 0.55 },
  // Trimming within passages: each keeps its sentences nearest the question.
  'focus1': { focusSentences: 1 },
  'focus2': { focusSentences: 2 },
  'focus3': { focusSentences: 3 },
  'focus2-top3': { focusSentences: 2, maxPassages: 3 },
  'focus3-top3': { focusSentences: 3, maxPassages: 3 },
  'focus2-tok300': { focusSentences: 2, maxTokens: 300 },
  'focus3-tok450': { focusSentences: 3, maxTokens: 450 },
};
/** `--settings none,focus2`: a subset, for a quick look (the choice is then among those only); `none` is kept. */
function settingsOption(): Record<string, ContextPolicy> {
  const index = args.indexOf('--settings');
  if (index < 0) return allSettings;
  const names = new Set(['none', ...(args[index + 1] ?? '').split(',').filter((name) => name.length > 0)]);
  const unknown = [...names].filter((name) => !(name in allSettings));
  if (unknown.length > 0) throw new Error(`--settings: unknown ${unknown.join(', ')}`);
  return Object.fromEntries(Object.entries(allSettings).filter(([name]) => names.has(name)));
}
const settings = settingsOption();
const routeOf = (name: string) => `ctx-${name}`;

/** What one setting did on one half of the questions. */
interface SettingFigures {
  setting: string;
  context: ContextPolicy;
  questions: number;
  correct: number;
  correctness: number;
  withheld: number;
  withheld_share: number;
  paid_calls: number;
  tokens_per_paid_call: number;
  passages_per_prompt: number;
  statuses: Record<string, number>;
}

async function measure(
  stack: AnswerStack, questions: readonly EvalQuestion[], half: string, name: string,
): Promise<SettingFigures> {
  const firstRequest = stack.fake.requests.length;
  const firstPrompt = stack.promptPassages.length;
  const results = await runPool(questions.length, concurrency, (index) =>
    stack.ask(tenant, `${half}-${name}-${index}`, questions[index]!.question, routeOf(name)));
  const sent = stack.fake.requests.slice(firstRequest).filter((request) => request.status === 200);
  const prompts = stack.promptPassages.slice(firstPrompt);
  const tokens = sent.reduce((sum, request) => sum + (request.inputTokens ?? 0) + (request.outputTokens ?? 0), 0);
  const statuses: Record<string, number> = {};
  for (const result of results) statuses[result.status] = (statuses[result.status] ?? 0) + 1;
  // A withheld answer is the fixed reply, so it counts as not correct.
  const correct = results.filter((result, index) => containsGold(questions[index]!.answers, result.answer)).length;
  const withheld = results.filter((result) => !released(result.status)).length;
  return {
    setting: name, context: settings[name]!, questions: questions.length,
    correct, correctness: ratio(correct, questions.length), withheld, withheld_share: ratio(withheld, questions.length),
    paid_calls: sent.length, tokens_per_paid_call: round(tokens / Math.max(1, sent.length), 1),
    passages_per_prompt: round(prompts.reduce((sum, count) => sum + count, 0) / Math.max(1, prompts.length), 2),
    statuses,
  };
}

/**
 * The rule that picks the setting, fixed before any held-out answer is seen: the fewest tokens per paid
 * call among settings that answer at least as many tune questions correctly as today's (`none`), less one,
 * and withhold at most one more.
 */
function choose(figures: readonly SettingFigures[]): SettingFigures {
  const baseline = figures.find((entry) => entry.setting === 'none')!;
  const eligible = figures.filter((entry) =>
    entry.correct >= baseline.correct - 1 && entry.withheld <= baseline.withheld + 1);
  return [...eligible].sort((a, b) => a.tokens_per_paid_call - b.tokens_per_paid_call)[0] ?? baseline;
}

/** How the 2nd-4th passages' scores compare with the best, per mode, and where the gold passage ranks. */
async function scoreShape(stack: AnswerStack, questions: readonly EvalQuestion[]): Promise<Record<string, unknown>> {
  const { store, embedder } = stack.dependencies;
  const shape: Record<string, unknown> = {};
  for (const mode of ['hybrid', 'dense', 'lexical'] as SearchMode[]) {
    const relative: number[][] = [[], [], []];
    const goldAt: number[] = [0, 0, 0, 0, 0];
    for (const question of questions) {
      const vector = mode === 'lexical' ? undefined : (await embedder.embed([question.question]))[0];
      const found = await store.search({ tenant, text: question.question, vector, topK, mode });
      const best = found[0]?.score ?? 0;
      found.slice(1).forEach((passage, rank) => best > 0 && relative[rank]!.push(passage.score / best));
      const rank = found.findIndex((passage) => passage.documentId === question.gold_doc);
      const at = rank < 0 ? 4 : rank;
      goldAt[at] = (goldAt[at] ?? 0) + 1;
    }
    shape[mode] = {
      relative_score_p10_p50_p90: relative.map((ranked, rank) => ({
        rank: rank + 2, values: [0.1, 0.5, 0.9].map((fraction) => round(percentile(ranked, fraction), 3)),
      })),
      gold_passage_at_rank_1_to_4_or_absent: goldAt.map((count) => ratio(count, questions.length)),
    };
  }
  return shape;
}

async function main(): Promise<void> {
  const started = performance.now();
  const { corpus, questions, source } = loadEvalData();
  const split = contextSplit(questions);
  const halves = {
    tune: questions.filter((question) => split.get(question.id) === 'tune'),
    'held-out': questions.filter((question) => split.get(question.id) === 'held-out'),
  };
  log(`${source}: ${halves.tune.length} tune and ${halves['held-out'].length} held-out questions`);
  const stack = await startAnswerStack(Object.fromEntries(Object.entries(settings).map(([name, context]) =>
    // `none` has no policy at all, as routes have today.
    [routeOf(name), { ...benchRoute, ...(Object.keys(context).length > 0 ? { context } : {}) }])));
  try {
    await stack.ingest(tenant, corpus);
    const shape = await scoreShape(stack, halves.tune);
    print({ bench: 'context_trim', score_shape: true, half: 'tune', top_k: topK, ...shape });
    // Warm-up: retrieval and workers warm before anything is measured.
    await runPool(16, concurrency, (index) =>
      stack.ask(tenant, `warm${index}`, halves.tune[index % halves.tune.length]!.question, routeOf('none')));
    const tuned: SettingFigures[] = [];
    for (const name of Object.keys(settings)) {
      tuned.push(await measure(stack, halves.tune, 'tune', name));
      print({ bench: 'context_trim', half: 'tune', ...tuned.at(-1) });
    }
    const chosen = choose(tuned);
    log(`chosen on tune: ${chosen.setting} ${JSON.stringify(chosen.context)}`);
    for (const name of Object.keys(settings)) {
      const figures = await measure(stack, halves['held-out'], 'held-out', name);
      print({ bench: 'context_trim', half: 'held-out', chosen: name === chosen.setting, ...figures });
    }
    print({
      bench: 'context_trim', summary: true, data: source, chosen: chosen.setting, context: chosen.context,
      tune_questions: halves.tune.length, held_out_questions: halves['held-out'].length,
      wall_s: round((performance.now() - started) / 1000, 1),
    });
  } finally {
    await stack.close();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`context-trim failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
