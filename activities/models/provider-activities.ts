import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { errorTypes } from '../../contracts/error-types';
import { formatZodError } from '../../contracts/format-error';
import { extractiveProvider, findModel, type ModelCatalog } from '../../contracts/model-catalog';
import { modelCallInputSchema, type ModelCallInputRaw, type ModelCallResult } from '../../contracts/models';
import { nonRetryable } from '../failures';
import { CircuitBreakerRegistry } from './circuit-breaker';
import { classifyProviderError, toApplicationFailure, type Classification } from './classify-error';
import { countModelCall, setBreakerState } from '../telemetry/activity-metrics';
import { inClientSpan } from '../telemetry/spans';
import { costMicroUsd } from './cost';
import type { CostRecorder } from './cost-recorder';
import type { ModelProvider, ProviderResponse } from './provider';
import { createProvider, ProviderNotConfiguredError } from './provider-registry';
import { StreamProgress } from './stream-progress';
import { countTextTokens, countTokens } from './token-counter';

export interface ProviderActivityDependencies {
  catalog: ModelCatalog;
  /** Where API keys are read from. @default process.env */
  environment?: Record<string, string | undefined>;
  /** Shared by every activity of this worker process; tests pass their own to reset it. */
  breakers?: CircuitBreakerRegistry;
  costRecorder?: CostRecorder;
  /** Injected fetch for the SDKs (tests). */
  fetch?: typeof fetch;
}

// Failures that say the provider is unhealthy; only these count against its breaker.
const healthFailures = new Set<string>([
  errorTypes.providerUnavailable,
  errorTypes.providerTimeout,
  errorTypes.malformedResponse,
]);

/** Activities run by provider workers (`sluice-llm-<provider>`, `sluice-gpu-<model>`). */
export function createProviderActivities(dependencies: ProviderActivityDependencies) {
  const environment = dependencies.environment ?? process.env;
  const breakers = dependencies.breakers ?? new CircuitBreakerRegistry();
  // State changes happen inside a call (its outcome, or the first call after the open period).
  breakers.onTransition(({ provider, from, to }) => {
    setBreakerState(provider, to);
    try {
      Context.current().log.warn('circuit breaker state changed', { provider, from, to });
    } catch {
      // Not inside an activity (a test driving the breaker directly).
    }
  });
  const providers = new Map<string, ModelProvider>();

  function providerFor(name: string): ModelProvider {
    let provider = providers.get(name);
    if (!provider) {
      try {
        provider = createProvider(dependencies.catalog, name, environment, dependencies.fetch);
      } catch (error) {
        if (error instanceof ProviderNotConfiguredError)
          throw nonRetryable(errorTypes.modelNotConfigured, error.message);
        throw error;
      }
      providers.set(name, provider);
    }
    return provider;
  }

  return {
    /**
     * One model call: count tokens and check the context window, ask the provider's breaker,
     * call (streaming, heartbeating on each chunk), classify any error into a typed failure,
     * and price the real usage. Never logs prompt or answer text.
     */
    async callModel(rawInput: ModelCallInputRaw): Promise<ModelCallResult> {
      const context = Context.current();
      const { attempt, workflowExecution, activityId } = context.info;
      // How long this attempt waited in the task queue (rate limit, busy or absent workers) before
      // a worker took it; returned and logged so queue pressure shows instead of silent fallbacks.
      const queueWaitMs = Math.max(0, Date.now() - context.info.currentAttemptScheduledTimestampMs);
      const parsed = modelCallInputSchema.safeParse(rawInput);
      if (!parsed.success) throw nonRetryable(errorTypes.invalidInput, formatZodError(parsed.error));
      const input = parsed.data;
      const model = findModel(dependencies.catalog, input.modelId);
      if (!model)
        throw nonRetryable(errorTypes.modelNotConfigured, `model ${input.modelId} is not in this worker's catalog`);
      const settings = dependencies.catalog.providers[model.provider];
      const failureDetails = { provider: model.provider, modelId: model.id, attempt, queueWaitMs };

      const estimatedInputTokens = countTokens(input.messages, model.tokenizer);
      const maxOutputTokens = Math.min(input.maxOutputTokens ?? model.maxOutputTokens, model.maxOutputTokens);
      if (estimatedInputTokens + maxOutputTokens > model.contextWindow) {
        throw ApplicationFailure.create({
          type: errorTypes.contextWindowExceeded,
          nonRetryable: true,
          details: [failureDetails],
          message:
            `prompt of ${estimatedInputTokens} tokens plus ${maxOutputTokens} output tokens exceeds ` +
            `${model.id}'s context window of ${model.contextWindow}`,
        });
      }

      const provider = providerFor(model.provider);
      const breaker =
        model.provider === extractiveProvider || !settings ? undefined : breakers.get(model.provider, settings.breaker);
      // Every Temporal attempt of one scheduled activity shares this key, so the breaker keeps one
      // (latest) outcome per request: retries of one bad request count once, N failing requests
      // count N. (Counting only the final attempt would also do that, but would hear of a dead
      // provider only after every request's backoff, and would see a retried-then-recovered
      // request as nothing at all.)
      const requestKey = workflowExecution
        ? `${workflowExecution.workflowId}/${workflowExecution.runId}/${activityId}`
        : undefined;
      const admission = breaker?.admit(requestKey);
      if (admission && !admission.allowed) {
        const retryInMs = Math.max(0, Math.round(admission.retryInMs));
        context.log.info('model call refused: circuit open', {
          modelId: model.id, provider: model.provider, retryInMs,
        });
        throw ApplicationFailure.create({
          type: errorTypes.circuitOpen,
          nonRetryable: true,
          details: [failureDetails],
          message:
            `circuit for provider ${model.provider} is open; ` +
            `next probe in ${retryInMs} ms`,
        });
      }

      const permit = admission?.permit;
      const request = {
        model: model.providerModel ?? model.id,
        messages: input.messages,
        maxOutputTokens,
        temperature: input.temperature,
        stream: input.stream,
      };
      // A non-streaming call gets no chunks to heartbeat on; the SDK's timeout bounds it instead.
      const keepAlive = input.stream
        ? undefined
        : setInterval(
            () => context.heartbeat({ waiting: true }),
            Math.max(1_000, (settings?.heartbeatTimeoutMs ?? 30_000) / 3),
          );
      // Streamed text reaches `askStream` callers only through the stream window (gated, held back).
      const progress = new StreamProgress((details) => context.heartbeat(details), {
        attempt, intervalMs: settings?.streamIntervalMs ?? 250, holdBackCharacters: settings?.streamWindowCharacters,
        publicValues: input.publicValues,
      });
      let response: ProviderResponse;
      try {
        const attributes = { 'sluice.provider': model.provider, 'sluice.model': model.id, 'sluice.attempt': attempt };
        response = await inClientSpan('sluice.provider.call', attributes, () => provider.complete(request, {
          signal: context.cancellationSignal,
          timeoutMs: settings?.requestTimeoutMs,
          onProgress: (receivedCharacters, text) => progress.onChunk(receivedCharacters, text),
        }));
        permit?.success();
      } catch (error) {
        // Cancellation by Temporal (workflow gave up, heartbeat timeout): surface it as such. It says
        // nothing about the provider's health, so the permit is only released (in `finally`).
        if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? error;
        if (error instanceof CancelledFailure) throw error;
        const classified: Classification = classifyProviderError(error);
        if (healthFailures.has(classified.type)) permit?.failure();
        context.log.warn('model call failed', {
          modelId: model.id, provider: model.provider, errorType: classified.type, status: classified.status, attempt,
          queueWaitMs, breaker: breaker?.state,
        });
        throw toApplicationFailure(classified, failureDetails);
      } finally {
        clearInterval(keepAlive);
        // Frees a half-open probe slot on every path not settled above (neutral 429, cancellation).
        permit?.release();
      }

      if (input.stream) progress.finish(response.text);
      // Real usage from the response; a server that reports none is charged the counted estimate.
      const usage = response.usage.inputTokens + response.usage.outputTokens > 0
        ? response.usage
        : { inputTokens: estimatedInputTokens, outputTokens: countTextTokens(response.text, model.tokenizer) };
      const cost = costMicroUsd(model, usage);
      dependencies.costRecorder?.record({
        ...input.tags, modelId: model.id, provider: model.provider, usage, costMicroUsd: cost,
        workflowId: context.info.workflowExecution?.workflowId ?? '', activityId: context.info.activityId, attempt,
      });
      countModelCall({
        tenant: input.tags.tenant, provider: model.provider, modelId: model.id, usage, costMicroUsd: cost,
      });
      context.log.info('model call priced', {
        ...input.tags, modelId: model.id, provider: model.provider, inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens, costMicroUsd: cost, latencyMs: Math.round(response.latencyMs), queueWaitMs,
      });
      return {
        text: response.text, modelId: model.id, providerModel: response.model, finishReason: response.finishReason,
        usage, estimatedInputTokens, costMicroUsd: cost, latencyMs: response.latencyMs, attempt, queueWaitMs,
      };
    },
  };
}

/** The activity interface provider queues serve (workflows import it as a type only). */
export type ProviderActivities = ReturnType<typeof createProviderActivities>;
