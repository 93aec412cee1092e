import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { FinishReason } from '../../contracts/models';
import type { CallOptions, ModelProvider, ProviderRequest, ProviderResponse } from './provider';
import { StallGuard } from './stall-guard';

export interface OpenAIProviderSettings {
  /** Catalog name of the provider. @default 'openai' */
  name?: string;
  apiKey: string;
  /** OpenAI-compatible servers (vLLM, TGI, Ollama, llama.cpp) set their own, e.g. `http://gpu-1:8000/v1`. */
  baseURL?: string;
  /** Injected fetch, for tests. */
  fetch?: typeof fetch;
}

const finishReasons: Record<string, FinishReason> = { stop: 'stop', length: 'length', content_filter: 'content_filter', tool_calls: 'tool_calls', function_call: 'tool_calls' };

/** Normalises an OpenAI finish reason (null while streaming, or a server's own word). */
export const openAIFinishReason = (reason: string | null | undefined): FinishReason => (reason ? finishReasons[reason] ?? 'other' : 'other');

/**
 * OpenAI chat completions, and any OpenAI-compatible server through `baseURL`. The SDK's
 * own retries are off: Temporal retries the activity, so one attempt = one HTTP request.
 */
export function createOpenAIProvider(settings: OpenAIProviderSettings): ModelProvider {
  const client = new OpenAI({
    apiKey: settings.apiKey, baseURL: settings.baseURL, maxRetries: 0, logLevel: 'off',
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const name = settings.name ?? 'openai';

  async function complete(request: ProviderRequest, options: CallOptions = {}): Promise<ProviderResponse> {
    const started = performance.now();
    const body: ChatCompletionCreateParamsBase = {
      model: request.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      max_tokens: request.maxOutputTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    };
    // Our own guard enforces the timeout (whole request when not streaming, between chunks when
    // streaming), so a timeout is recognised as ours however the SDK reports the abort.
    const guard = new StallGuard(options.timeoutMs, options.signal);
    try {
      if (!request.stream) {
        const completion = await client.chat.completions.create({ ...body, stream: false }, { signal: guard.signal });
        const choice = completion.choices[0];
        return {
          text: choice?.message.content ?? '',
          usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
          model: completion.model,
          finishReason: openAIFinishReason(choice?.finish_reason),
          latencyMs: performance.now() - started,
        };
      }
      const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: guard.signal });
      let text = '';
      let model = request.model;
      let finishReason: FinishReason = 'other';
      let usage: ChatCompletionChunk['usage'];
      for await (const chunk of stream) {
        guard.touch();
        model = chunk.model || model;
        const choice = chunk.choices[0];
        if (choice?.delta.content) text += choice.delta.content;
        if (choice?.finish_reason) finishReason = openAIFinishReason(choice.finish_reason);
        if (chunk.usage) usage = chunk.usage;
        options.onProgress?.(text.length, text);
      }
      guard.throwIfStalled();
      return {
        text, model, finishReason,
        usage: { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 },
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      throw guard.translate(error);
    } finally {
      guard.dispose();
    }
  }

  return { name, complete };
}
