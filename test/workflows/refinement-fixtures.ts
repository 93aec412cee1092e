import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import type { ModelCatalog } from '../../contracts/model-catalog';
import { promptTemplateSchema } from '../../contracts/prompts';

// Routes and fake-model replies for the refinement loop's workflow tests (answer-refinement.test.ts).

/** A rubric criterion a passage of examples/corpus meets. */
const retries = { criterion: 'Says how failed calls are retried', keywords: ['exponential backoff'] };
/** A rubric criterion no passage of examples/corpus can meet, so a route using it never reaches its threshold. */
const unreachable = { criterion: 'Names the ledger the answers are kept in', keywords: ['blockchain'] };

/**
 * Offline routes (`extractive` first: the offline judge and reviser) and model routes (`gpt-mini`
 * on the fake server: judge and reviser are model calls) for the loop's stop conditions.
 */
export function refinementCatalog(openAIBaseUrl: string, apiKeyEnv: string): ModelCatalog {
  const retry = { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 2 };
  const modelRefine = { minScore: 0.8, maxIterations: 2 };
  return parseModelCatalog({
    providers: {
      openai: {
        kind: 'openai', baseUrl: openAIBaseUrl, apiKeyEnv, requestTimeoutMs: 2_000, callTimeoutMs: 5_000,
        heartbeatTimeoutMs: 3_000, retry,
      },
    },
    models: [
      {
        id: 'gpt-mini', provider: 'openai', providerModel: 'gpt-4o-mini', tier: 'small', contextWindow: 128_000,
        inputPricePerMillionUsd: 0.15, outputPricePerMillionUsd: 0.6, tokenizer: 'o200k_base',
      },
      { id: 'extractive', provider: 'extractive', tier: 'small', contextWindow: 1_000_000, latencyClass: 'fast' },
    ],
    reviewGroups: { reviewers: ['*'], support: ['alice', 'bob'] },
    routes: {
      default: { chain: ['extractive'] },
      // The first extractive draft of `raisingQuestion` never says how failures are retried; a passage does.
      raising: { chain: ['extractive'], refine: { minScore: 0.95, maxIterations: 3, rubric: [retries] } },
      capped: { chain: ['extractive'], refine: { minScore: 1, maxIterations: 1, rubric: [unreachable] } },
      // Two revisions allowed, but the offline reviser runs out of new sentences and returns its input.
      exhausted: { chain: ['extractive'], refine: { minScore: 1, maxIterations: 5, rubric: [unreachable] } },
      // A revision of `raisingQuestion`'s draft meets one criterion of two: better, still under `belowScore`.
      'low-score': {
        chain: ['extractive'], refine: { minScore: 1, maxIterations: 1, rubric: [retries, unreachable] },
        review: { group: 'support', belowScore: 0.95, deadline: '1h' },
      },
      'model-judged': { chain: ['gpt-mini'], refine: modelRefine },
      'model-reviewed': { chain: ['gpt-mini'], refine: modelRefine, review: { group: 'support', belowScore: 0.9 } },
      'model-token-budget': { chain: ['gpt-mini'], refine: { ...modelRefine, maxTokens: 1 } },
      'model-cost-budget': { chain: ['gpt-mini'], refine: { ...modelRefine, maxCostMicroUsd: 1 } },
    },
  });
}

/** A question whose first extractive draft misses the `raising` route's rubric. */
export const raisingQuestion = 'How are model calls retried and what happens to a review when a worker restarts?';

const promptFile = (folder: string, file: string) => promptTemplateSchema.parse(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'prompts', folder, file), 'utf8')),
);

/** The first line of a template after a variable: text every message rendered from it holds. */
const lineAfter = (template: string, variable: string): string =>
  template.split(`{{${variable}}}`)[1]!.trim().split('\n')[0]!;

/** A line of the pinned judge prompt that follows the draft: a user message holding it is the judge's. */
export const judgePromptLine = lineAfter(promptFile('judge-answer', 'judge-v1.json').template, 'draft');
/** A line of the pinned revise prompt that follows the critique. */
export const revisePromptLine = lineAfter(promptFile('revise-answer', 'revise-v1.json').template, 'critique');

/** The first `count` sentences of passage [1] of a prompt, cited [1] (every Sluice prompt numbers passages alike). */
export function quoteFirstPassage(userMessage: string, count: number): string {
  const passage = /\[1\] \([^)]*\) ([^\n]*)/.exec(userMessage)?.[1] ?? '';
  return `${passage.split(/(?<=\.)\s/).slice(0, count).join(' ')} [1]`;
}

/** A judge's JSON reply, as judge-v1 asks for it. */
export const judgeReply = (groundedness: number, coverage: number, rubric: number, critique: string[] = []): string =>
  JSON.stringify({ groundedness, coverage, rubric, critique });

/** One activity a run scheduled: its type, the summary the UI shows, and its result once completed. */
export interface ActivityCall {
  type: string;
  summary?: string;
  result?: unknown;
}

const decode = (payload: temporal.api.common.v1.IPayload | null | undefined): unknown =>
  payload ? defaultPayloadConverter.fromPayload(payload as never) : undefined;

/** The activities of a history in the order they were scheduled. */
export function activityCalls(history: temporal.api.history.v1.IHistory): ActivityCall[] {
  const calls = new Map<string, ActivityCall>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const summary = decode(event.userMetadata?.summary);
      calls.set(String(event.eventId), {
        type: scheduled.activityType?.name ?? '', ...(typeof summary === 'string' ? { summary } : {}),
      });
    }
    const completed = event.activityTaskCompletedEventAttributes;
    const call = completed ? calls.get(String(completed.scheduledEventId)) : undefined;
    if (call) call.result = decode(completed?.result?.payloads?.[0]);
    // A local activity is one marker holding its type, summary and result.
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      const data = decode(marker.details?.data?.payloads?.[0]) as { activity_type?: string } | undefined;
      const summary = decode(event.userMetadata?.summary);
      calls.set(String(event.eventId), {
        type: data?.activity_type ?? '', ...(typeof summary === 'string' ? { summary } : {}),
        result: decode(marker.details?.result?.payloads?.[0]),
      });
    }
  }
  return [...calls.values()];
}
