/**
 * Turns texts into dense vectors. Implementations: OnnxEmbedder (offline all-MiniLM-L6-v2,
 * the default when its files are installed), HashingEmbedder (offline fallback, no model),
 * OpenAIEmbedder (OpenAI and OpenAI-compatible endpoints).
 */
export interface Embedder {
  /** Identifies the model; stored with vectors so a model change is detectable. */
  readonly id: string;
  readonly dimensions: number;
  /**
   * True when texts never leave the worker's process (a local model). Only such an embedder is given the
   * user's unredacted question; anything else, an API included, gets the redacted one.
   */
  readonly inProcess?: boolean;
  /** One L2-normalised vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
