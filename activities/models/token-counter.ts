import type { ChatMessage } from '../../contracts/models';
import { sharedEncoding, type TokenizerName } from '../tiktoken-encodings';

export type { TokenizerName };
const encodingFor = sharedEncoding;

/** Per-message framing tokens in the chat format (role and separators), as OpenAI documents it. */
const tokensPerMessage = 3;
const tokensPerReply = 3;

/**
 * Tokens a chat prompt will take. Exact for OpenAI models with the matching encoding; for
 * other providers (Anthropic, Llama) an estimate close enough to reserve budget and check
 * the context window — the real count comes back in the response's usage.
 */
export function countTokens(messages: readonly ChatMessage[], tokenizer: TokenizerName): number {
  const encoding = encodingFor(tokenizer);
  return messages.reduce(
    (total, message) =>
      total + tokensPerMessage + encoding.encode(message.role).length + encoding.encode(message.content).length,
    tokensPerReply,
  );
}

/** Tokens in a plain text. */
export const countTextTokens = (text: string, tokenizer: TokenizerName): number => encodingFor(tokenizer).encode(text).length;
