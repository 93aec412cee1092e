import type { ChatMessage, FinishReason, Grounding, TokenUsage } from '../../contracts/models';

/** A chat request as every adapter receives it. */
export interface ProviderRequest {
  /** Model name in the provider's API. */
  model: string;
  messages: readonly ChatMessage[];
  maxOutputTokens: number;
  temperature?: number;
  /** Stream the response; `onProgress` is called on each chunk. */
  stream: boolean;
  /** Structured source of a grounded prompt; only the extractive provider reads it. */
  grounding?: Grounding;
}

export interface ProviderResponse {
  text: string;
  usage: TokenUsage;
  /** Model name the provider reported. */
  model: string;
  finishReason: FinishReason;
  latencyMs: number;
}

export interface CallOptions {
  /** Aborts the HTTP request (activity cancellation, stall). */
  signal?: AbortSignal;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /**
   * Called on each streamed chunk with the characters received so far and the text they make; the
   * activity heartbeats here (the text only after the stream window has gated it).
   */
  onProgress?: (receivedCharacters: number, text: string) => void;
}

/**
 * One interface for every model provider. Implementations know their wire protocol and
 * nothing of Temporal; they throw the SDK's own errors, which the activity classifies.
 */
export interface ModelProvider {
  /** Provider name from the catalog, e.g. `openai`, `local-vllm`. */
  readonly name: string;
  complete(request: ProviderRequest, options?: CallOptions): Promise<ProviderResponse>;
}
