import { composeExtractiveAnswer } from './extractive-answer';
import type { ModelProvider, ProviderRequest, ProviderResponse } from './provider';
import { countTokens } from './token-counter';

/**
 * The offline model behind the provider interface: quotes the grounding passages. It needs
 * no network and never fails, which is why the workflow uses it as the last fallback.
 */
export function createExtractiveProvider(): ModelProvider {
  return {
    name: 'extractive',
    async complete(request: ProviderRequest): Promise<ProviderResponse> {
      const started = performance.now();
      const question = request.grounding?.question ?? [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
      const answer = composeExtractiveAnswer(question, request.grounding?.passages ?? []);
      return {
        text: answer.text,
        model: 'extractive',
        finishReason: 'stop',
        usage: { inputTokens: countTokens(request.messages, 'cl100k_base'), outputTokens: countTokens([{ role: 'assistant', content: answer.text }], 'cl100k_base') },
        latencyMs: performance.now() - started,
      };
    },
  };
}
