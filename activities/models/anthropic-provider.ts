import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsBase, StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import type { FinishReason } from '../../contracts/models';
import type { CallOptions, ModelProvider, ProviderRequest, ProviderResponse } from './provider';
import { StallGuard } from './stall-guard';

export interface AnthropicProviderSettings {
  /** @default 'anthropic' */
  name?: string;
  apiKey: string;
  baseURL?: string;
  fetch?: typeof fetch;
}

const stopReasons: Record<StopReason, FinishReason> = {
  end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', pause_turn: 'other', refusal: 'content_filter',
  model_context_window_exceeded: 'length',
};
const finishReasonOf = (reason: StopReason | null | undefined): FinishReason => (reason ? stopReasons[reason] ?? 'other' : 'other');

/** Anthropic Messages API. System messages become the `system` parameter; SDK retries are off. */
export function createAnthropicProvider(settings: AnthropicProviderSettings): ModelProvider {
  const client = new Anthropic({
    apiKey: settings.apiKey, baseURL: settings.baseURL, maxRetries: 0, logLevel: 'off',
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const name = settings.name ?? 'anthropic';

  async function complete(request: ProviderRequest, options: CallOptions = {}): Promise<ProviderResponse> {
    const started = performance.now();
    const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content).join('\n\n');
    const body: MessageCreateParamsBase = {
      model: request.model,
      max_tokens: request.maxOutputTokens,
      messages: request.messages.filter((message) => message.role !== 'system').map((message) => ({ role: message.role as 'user' | 'assistant', content: message.content })),
      ...(system ? { system } : {}),
      ...(request.temperature !== undefined ? { temperature: Math.min(request.temperature, 1) } : {}),
    };
    // Our own guard enforces the timeout (whole request when not streaming, between chunks when
    // streaming), so a timeout is recognised as ours however the SDK reports the abort.
    const guard = new StallGuard(options.timeoutMs, options.signal);
    try {
      if (!request.stream) {
        const message = await client.messages.create({ ...body, stream: false }, { signal: guard.signal });
        const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
        return {
          text, model: message.model, finishReason: finishReasonOf(message.stop_reason),
          usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
          latencyMs: performance.now() - started,
        };
      }
      const stream = await client.messages.create({ ...body, stream: true }, { signal: guard.signal });
      let text = '';
      let model = request.model;
      let finishReason: FinishReason = 'other';
      let inputTokens = 0;
      let outputTokens = 0;
      for await (const event of stream) {
        guard.touch();
        if (event.type === 'message_start') {
          model = event.message.model;
          inputTokens = event.message.usage.input_tokens;
          outputTokens = event.message.usage.output_tokens;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          text += event.delta.text;
          options.onProgress?.(text.length, text);
        } else if (event.type === 'message_delta') {
          finishReason = finishReasonOf(event.delta.stop_reason);
          outputTokens = event.usage.output_tokens;
        }
      }
      guard.throwIfStalled();
      return { text, model, finishReason, usage: { inputTokens, outputTokens }, latencyMs: performance.now() - started };
    } catch (error) {
      throw guard.translate(error);
    } finally {
      guard.dispose();
    }
  }

  return { name, complete };
}
