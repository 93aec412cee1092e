import { RetryState } from '@temporalio/common';
import {
  ActivityFailure, ApplicationFailure, isCancellation, log, proxyActivities, proxyLocalActivities, TimeoutFailure,
} from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import type { ProviderActivities } from '../activities/models/provider-activities';
import type {
  CallTags,
  ChatMessage,
  GenerateResult,
  Grounding,
  ModelAttempt,
  ModelPlan,
  PlannedModel,
  RoutingRequest,
} from '../contracts/models';
import { extractiveProvider } from '../contracts/model-catalog';
import type { ScoredChunk } from '../contracts/retrieval';
import { citationsFromMarkers, numberedPassages } from '../contracts/citations';
import {
  extractiveLocalPreset, modelCallPreset, modelPreset, routingLocalPreset, routingPreset,
} from './activity-presets';

// Deterministic fallback chain for model calls. Provider activities are proxied per planned
// model with that model's queue and retry policy (types only: no activity code in the sandbox).

const routing = proxyActivities<SluiceActivities>(routingPreset);
const offline = proxyActivities<SluiceActivities>(modelPreset);
// The same steps as local activities: CPU work in the orchestration worker's own process, so they
// need no task-queue round trip (answer runs of the reviewed pipeline use these; other callers
// keep the scheduled activities their histories record).
const localRouting = proxyLocalActivities<SluiceActivities>({ ...routingLocalPreset, summary: 'plan model route' });
const localOffline = proxyLocalActivities<SluiceActivities>({ ...extractiveLocalPreset, summary: 'extractive answer' });

/** What to generate; routing hints live in the plan. */
export interface GenerationCall {
  messages: ChatMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  /** @default true */
  stream?: boolean;
  /** Contacts the stream window releases as written (the pii-leak gate's `publicValues`). */
  publicValues?: string[];
  tags: CallTags;
  /** Question and passages for the extractive answer when every provider fails. */
  grounding?: Grounding;
  /** Run the extractive model as a local activity. @default false */
  local?: boolean;
}

/**
 * Plans the route (an activity on the orchestration queue, or a local one with `local`): the
 * decision lands in history either way.
 */
export function planModelRoute(request: RoutingRequest, options: { local?: boolean } = {}): Promise<ModelPlan> {
  return (options.local ? localRouting : routing).planModelRoute(request);
}

/**
 * Reads what a final activity failure says: its type, how many attempts it took, how long the
 * last attempt that reached a worker had queued, and whether no worker took it in time
 * (`queue_timeout`: a backlog or no workers, told apart from a provider failure).
 */
function describeFailure(error: ActivityFailure, candidate: PlannedModel): ModelAttempt {
  const cause = error.cause;
  const exhausted = error.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED;
  let errorType = 'ActivityFailure';
  let attempt: number | undefined;
  let queueWaitMs: number | undefined;
  let queueTimedOut = false;
  if (cause instanceof ApplicationFailure) {
    errorType = cause.type ?? 'ApplicationFailure';
    const details = cause.details?.[0] as { attempt?: number; queueWaitMs?: number } | undefined;
    attempt = typeof details?.attempt === 'number' ? details.attempt : undefined;
    queueWaitMs = typeof details?.queueWaitMs === 'number' ? details.queueWaitMs : undefined;
  } else if (cause instanceof TimeoutFailure) {
    errorType = `Timeout:${cause.timeoutType ?? 'UNKNOWN'}`;
    queueTimedOut = cause.timeoutType === 'SCHEDULE_TO_START';
  }
  return {
    modelId: candidate.modelId, taskQueue: candidate.taskQueue, outcome: queueTimedOut ? 'queue_timeout' : 'failed',
    attempts: exhausted ? candidate.retry.maximumAttempts : attempt ?? 1,
    errorType, message: (cause?.message ?? error.message).slice(0, 300),
    ...(queueWaitMs !== undefined ? { queueWaitMs } : {}),
  };
}

async function extractiveAnswer(
  grounding: Grounding | undefined, local = false,
): Promise<{ text: string; citations: GenerateResult['citations'] }> {
  if (!grounding) return { text: '', citations: [] };
  const answer = await (local ? localOffline : offline).generateAnswer({
    question: grounding.question, passages: grounding.passages as ScoredChunk[],
  });
  return { text: answer.text, citations: answer.citations };
}

/**
 * Tries each planned model in order. A model's own retries happen inside its activity's
 * retry policy; only a final failure (retries exhausted, non-retryable type, CircuitOpen,
 * timeout) moves on to the next model. When all fail, the extractive answer is returned
 * with status `degraded`. The result records who answered, every attempt and fallback.
 */
export async function generateWithFallback(plan: ModelPlan, call: GenerationCall): Promise<GenerateResult> {
  const attempts: ModelAttempt[] = [];
  const base = { routing: plan.decision, attempts };
  for (const candidate of plan.candidates) {
    const fallbacks = attempts.length;
    if (candidate.provider === extractiveProvider) {
      // The route itself chose the offline model (the one-machine default): not a degradation.
      const answer = await extractiveAnswer(call.grounding, call.local);
      attempts.push({ modelId: candidate.modelId, taskQueue: candidate.taskQueue, outcome: 'succeeded', attempts: 1 });
      return {
        ...base,
        status: fallbacks === 0 ? 'answered' : 'degraded',
        text: answer.text,
        citations: answer.citations,
        model: 'extractive',
        finishReason: 'stop',
        degraded: fallbacks > 0,
        usage: { inputTokens: 0, outputTokens: 0 },
        costMicroUsd: 0,
        fallbacks,
      };
    }
    const provider = proxyActivities<ProviderActivities>(modelCallPreset(candidate));
    try {
      const result = await provider.callModel({
        modelId: candidate.modelId,
        messages: call.messages,
        maxOutputTokens: call.maxOutputTokens,
        temperature: call.temperature,
        stream: call.stream ?? true,
        ...(call.publicValues?.length ? { publicValues: call.publicValues } : {}),
        tags: call.tags,
      });
      attempts.push({
        modelId: candidate.modelId, taskQueue: candidate.taskQueue, outcome: 'succeeded', attempts: result.attempt,
        ...(result.queueWaitMs !== undefined ? { queueWaitMs: result.queueWaitMs } : {}),
      });
      return {
        ...base,
        status: 'answered',
        text: result.text,
        citations: citationsFromMarkers(result.text, call.grounding?.passages ?? []),
        model: result.modelId,
        finishReason: result.finishReason,
        degraded: fallbacks > 0,
        usage: result.usage,
        costMicroUsd: result.costMicroUsd,
        fallbacks,
      };
    } catch (error) {
      if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
      const attempt = describeFailure(error, candidate);
      // Logging issues no command, so replay is unaffected; it makes a saturated or unserved queue
      // visible where it would otherwise look like an ordinary fallback.
      if (attempt.outcome === 'queue_timeout') {
        log.warn('model queue timed out; falling back', { modelId: attempt.modelId, taskQueue: attempt.taskQueue });
      }
      attempts.push(attempt);
    }
  }
  const answer = await extractiveAnswer(call.grounding, call.local);
  return {
    ...base,
    status: 'degraded',
    text: answer.text,
    citations: answer.citations,
    model: 'extractive',
    finishReason: 'stop',
    degraded: true,
    usage: { inputTokens: 0, outputTokens: 0 },
    costMicroUsd: 0,
    fallbacks: attempts.length,
  };
}

/**
 * Plans the route for a call and runs its fallback chain: the one call the answer workflow needs.
 */
export async function generateWithRouting(
  call: GenerationCall & Omit<RoutingRequest, 'messages' | 'maxOutputTokens'>,
): Promise<GenerateResult> {
  const plan = await planModelRoute({
    messages: call.messages,
    maxOutputTokens: call.maxOutputTokens,
    route: call.route,
    tierHint: call.tierHint,
    intent: call.intent,
    maxCostMicroUsd: call.maxCostMicroUsd,
    latencyClass: call.latencyClass,
  });
  return generateWithFallback(plan, call);
}


/** A grounded prompt from a question and retrieved passages, numbered for citation markers. */
export function groundedMessages(question: string, passages: readonly ScoredChunk[]): ChatMessage[] {
  const context = numberedPassages(passages);
  return [
    {
      role: 'system',
      content:
        'Answer only from the numbered passages. Cite passages with their markers, e.g. [1]. ' +
        'If they do not contain the answer, say so.',
    },
    { role: 'user', content: `Passages:\n${context}\n\nQuestion: ${question}` },
  ];
}
