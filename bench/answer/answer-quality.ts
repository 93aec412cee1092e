// Offline answer quality: every question of ../shared/eval/rag asked through the real answerWorkflow
// on a Temporal dev server (offline catalog, so the extractive model answers), over the corpus
// ingested into the embedded store. Prints JSON lines only (logs on stderr): the share of answers
// holding a gold answer (SQuAD normalisation), the share the gates withheld, and beside them the
// baseline "the top lexical (BM25) / hybrid passage holds a gold answer", per split: tuning questions
// (to choose settings and read errors on) and held-out ones (sha256 of the question text, 32-bit
// prefix 0 mod 5, the rule of the gate benches).
//   npx tsx bench/answer/answer-quality.ts [corpus.jsonl] [questions.jsonl] [--concurrency 4]
//       [--rerank always|never|uncertain] [--misses tuning-misses.jsonl] [--leave-out-articles 3]
//       [--off-topic-similarity 0.3]
// --misses: writes the tuning questions whose answer lacks a gold string (question, gold, answer, whether
// the top hybrid passage held one), to read errors on; held-out misses are never written.
// --rerank: the default route's `rerank` (always: `true`, never: `false`); without it, the catalog's own
// (`'uncertain'`: the worker's reranker reorders only close hybrid rankings).
// --off-topic-similarity X: the default route's `context.offTopicSimilarity` (0: off); without it, the
// embedder's default (activities/retrieval/off-topic.ts).
// --leave-out-articles N: the articles whose title's sha256 (32-bit prefix) is 0 mod N are not ingested, so
// their questions are outside the documents; the output adds, per split, how many of those the run answered
// `no_context` (right) and how many it answered from other articles (wrong). The figures of the other
// questions are then over a smaller corpus: compare them with a run of the same N.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import { offlineCatalog } from '../../contracts/model-catalog';
import type { RerankPolicy } from '../../contracts/retrieval';
import { ingestParsedDocument } from '../../activities/retrieval/ingest-document';
import { openTestDependencies, startWorker } from '../../test/helpers/temporal-env';
import { buildWorkflowBundle } from '../../test/helpers/workflow-bundle';
import { startBenchServer } from '../bench-server';
import { heldOutRule, isHeldOut, isOneIn } from '../gates/training-provenance';
import { corpusRowSchema, questionRowSchema, readJsonLines } from '../retrieval/read-jsonl';
import { askThroughWorkflow, type AnswerOutcome } from './answer-run';
import { containsGold } from './gold-match';
import { ragEvalArgs } from '../retrieval/rag-eval-args';

const { corpusPath, questionsPath, option } = ragEvalArgs();
const concurrency = Number(option('--concurrency') ?? 4);
const rerankOptions = { always: true, never: false, uncertain: 'uncertain' } as const;
const rerankName = process.argv.includes('--rerank') ? option('--rerank') ?? '' : undefined;
if (rerankName !== undefined && !(rerankName in rerankOptions)) {
  process.stderr.write(`--rerank: expected always, never or uncertain, got ${JSON.stringify(rerankName)}\n`);
  process.exit(2);
}
const rerank: RerankPolicy | undefined = rerankName === undefined ? undefined
  : rerankOptions[rerankName as keyof typeof rerankOptions];
const missesPath = option('--misses');
const offTopicOption = option('--off-topic-similarity');
const offTopicSimilarity = offTopicOption === undefined ? undefined : Number(offTopicOption);
if (offTopicSimilarity !== undefined && !(offTopicSimilarity >= 0 && offTopicSimilarity <= 1)) {
  process.stderr.write('--off-topic-similarity: expected a number from 0 to 1\n');
  process.exit(2);
}
const leaveOutOption = option('--leave-out-articles');
const leaveOutOneIn = leaveOutOption === undefined ? undefined : Number(leaveOutOption);
if (leaveOutOneIn !== undefined && !(Number.isInteger(leaveOutOneIn) && leaveOutOneIn >= 2)) {
  process.stderr.write('--leave-out-articles: expected a whole number of at least 2\n');
  process.exit(2);
}
const leftOut = (title: string): boolean => leaveOutOneIn !== undefined && isOneIn(title, leaveOutOneIn);
const tenant = 'bench';
const withheld = new Set(['blocked', 'review_required', 'rejected', 'no_context', 'pending_review']);
const log = (line: string) => process.stderr.write(`${line}\n`);

const answeredQuestionSchema = questionRowSchema.extend({ answers: z.array(z.string()).min(1) });

interface Row {
  question: string;
  answers: string[];
  heldOut: boolean;
  /** Its article was left out of the corpus (`--leave-out-articles`): the right answer is no_context. */
  outsideDocuments: boolean;
  outcome: AnswerOutcome;
  answerHasGold: boolean;
  /** The answer's first quoted sentence (the text before its first citation marker) holds a gold answer. */
  firstSentenceHasGold: boolean;
  /** Sentences the answer quotes (its citation markers). */
  sentences: number;
  lexicalTopHasGold: boolean;
  hybridTopHasGold: boolean;
}

const share = (rows: readonly Row[], test: (row: Row) => boolean): number =>
  Math.round((rows.filter(test).length / Math.max(1, rows.length)) * 10_000) / 10_000;

function summary(allRows: readonly Row[]) {
  const rows = allRows.filter((row) => !row.outsideDocuments);
  const outside = allRows.filter((row) => row.outsideDocuments);
  const statuses: Record<string, number> = {};
  for (const { outcome } of rows) statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
  return {
    questions: rows.length,
    answerContainsGold: share(rows, (row) => row.answerHasGold),
    // A longer answer holds a gold string more often; these two show what the first figure costs a reader.
    firstSentenceContainsGold: share(rows, (row) => row.firstSentenceHasGold),
    meanSentencesQuoted: Math.round(rows.reduce((sum, row) => sum + row.sentences, 0) / Math.max(1, rows.length) * 100)
      / 100,
    withheldByGates: share(rows, (row) => withheld.has(row.outcome.status)),
    statuses,
    baselineLexicalTopPassageContainsGold: share(rows, (row) => row.lexicalTopHasGold),
    hybridTopPassageContainsGold: share(rows, (row) => row.hybridTopHasGold),
    // The failure cause: names in the question redacted by the input PII gate.
    questionRedactedByPiiGate: {
      questions: rows.filter((row) => row.outcome.questionRedacted).length,
      answerContainsGold: share(rows.filter((row) => row.outcome.questionRedacted), (row) => row.answerHasGold),
    },
    ...(leaveOutOneIn === undefined ? {} : {
      outsideDocuments: {
        questions: outside.length,
        noContext: share(outside, (row) => row.outcome.status === 'no_context'),
        answeredFromOtherArticles: share(outside, (row) => !withheld.has(row.outcome.status)),
      },
    }),
  };
}

/** The tuning questions answered without a gold string, one JSON line each. */
function writeMisses(path: string, rows: readonly Row[]): void {
  const misses = rows.filter((row) => !row.heldOut && !row.outsideDocuments && !row.answerHasGold);
  const lines = misses.map((row) => JSON.stringify({
    question: row.question, gold: row.answers, status: row.outcome.status, answer: row.outcome.answer,
    hybridTopHasGold: row.hybridTopHasGold,
  }));
  writeFileSync(path, lines.map((line) => `${line}\n`).join(''));
  log(`${misses.length} tuning misses written to ${path}`);
}

async function main(): Promise<void> {
  const corpus = readJsonLines(corpusPath, corpusRowSchema);
  const questions = readJsonLines(questionsPath, answeredQuestionSchema);
  log('bundling workflows');
  await buildWorkflowBundle();
  const server = await startBenchServer();
  const dependencies = await openTestDependencies();
  const { store, embedder } = dependencies;
  try {
    if (rerank !== undefined) {
      if (rerank && !dependencies.reranker) {
        log('--rerank: this worker has no reranker (.tools/reranker or SLUICE_RERANK_URL); nothing to measure');
        return;
      }
      const routes = { ...offlineCatalog.routes, default: { ...offlineCatalog.routes.default!, rerank } };
      dependencies.modelCatalog = parseModelCatalog({ ...offlineCatalog, routes });
    }
    if (offTopicSimilarity !== undefined) {
      const catalog = dependencies.modelCatalog ?? parseModelCatalog(offlineCatalog);
      const route = catalog.routes.default!;
      const context = { ...route.context, offTopicSimilarity };
      dependencies.modelCatalog = { ...catalog, routes: { ...catalog.routes, default: { ...route, context } } };
    }
    const ingested = corpus.filter((row) => !leftOut(row.title ?? row.id));
    const titleOf = new Map(corpus.map((row) => [row.id, row.title ?? row.id]));
    log(`ingesting ${ingested.length} of ${corpus.length} documents with ${embedder.id}`);
    for (const row of ingested) {
      const document = { documentId: row.id, title: row.title ?? row.id, text: row.text };
      await ingestParsedDocument({ store, embedder }, tenant, document);
    }
    await store.optimize?.();
    const worker = await startWorker(server, dependencies);
    const rows: Row[] = new Array(questions.length);
    const started = performance.now();
    await worker.runUntil(async () => {
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < questions.length) {
          const index = next++;
          const { id, question, answers, gold_doc: goldDocument } = questions[index]!;
          const outcome = await askThroughWorkflow(server.client, tenant, `q${index}`, question);
          const [vector] = await embedder.embed([question]);
          const lexical = await store.search({ tenant, text: question, topK: 1, mode: 'lexical' });
          const hybrid = await store.search({ tenant, text: question, vector, topK: 1, mode: 'hybrid' });
          rows[index] = {
            question, answers, heldOut: isHeldOut(question), outcome,
            outsideDocuments: leftOut(titleOf.get(goldDocument) ?? goldDocument),
            answerHasGold: !withheld.has(outcome.status) && containsGold(outcome.answer, answers),
            firstSentenceHasGold: !withheld.has(outcome.status)
              && containsGold(outcome.answer.split(/ \[\d+\]/)[0] ?? '', answers),
            sentences: outcome.answer.match(/ \[\d+\]/g)?.length ?? 0,
            lexicalTopHasGold: containsGold(lexical[0]?.text ?? '', answers),
            hybridTopHasGold: containsGold(hybrid[0]?.text ?? '', answers),
          };
          if ((index + 1) % 50 === 0) log(`${index + 1}/${questions.length} asked (${id})`);
        }
      }));
    });
    const common = {
      bench: 'answer-quality', path: 'answerWorkflow on the Temporal dev server (offline catalog: extractive model)',
      rerank: (dependencies.modelCatalog ?? parseModelCatalog(offlineCatalog)).routes.default!.rerank,
      reranker: dependencies.reranker?.id ?? null,
      store: store.name, embedder: embedder.id, corpus: corpusPath.split('/').slice(-2).join('/'),
      heldOutRule: `${heldOutRule.replace('rows', 'questions')}; the rest are tuning questions`,
      goldMatch: 'SQuAD normalisation (case, punctuation, articles), gold as a whole-word substring',
      seconds: Math.round((performance.now() - started) / 100) / 10,
      ...(leaveOutOneIn === undefined ? {} : {
        leftOutArticles: `titles whose sha256 as a 32-bit prefix is 0 mod ${leaveOutOneIn}; the other figures ` +
          'count only questions on articles still in the corpus',
      }),
    };
    for (const [split, selected] of [
      ['all', rows], ['tuning', rows.filter((row) => !row.heldOut)], ['heldOut', rows.filter((row) => row.heldOut)],
    ] as const) {
      process.stdout.write(`${JSON.stringify({ ...common, split, ...summary(selected) })}\n`);
    }
    if (missesPath) writeMisses(missesPath, rows);
  } finally {
    await store.close();
    await server.teardown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
