/** Turns texts into dense vectors. Implementations: the offline hashing embedder, later OpenAI-compatible ones. */
export interface Embedder {
  /** Identifies the model; stored with vectors so a model change is detectable. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<number[][]>;
}
