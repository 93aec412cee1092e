/**
 * The vectors of the texts embedded most recently, by exact text: a question is embedded again and again (the
 * same question asked twice, or one answer's retrieval, semantic cache and router each embedding it), and a
 * local model's vector for a text run alone is always the same. Short texts only (questions, not chunks), least
 * recently used dropped first; vectors held as float32 (~1.5 KiB each at 384 dimensions).
 */
export class RecentVectors {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly maxEntries: number, private readonly maxTextLength = 512) {}

  /** The text's vector if it was embedded lately (and marks it recently used), else undefined. */
  get(text: string): number[] | undefined {
    const vector = this.vectors.get(text);
    if (!vector) return undefined;
    this.vectors.delete(text);
    this.vectors.set(text, vector);
    return Array.from(vector);
  }

  /** Remembers a short text's vector, dropping the least recently used one past the limit. */
  set(text: string, vector: readonly number[]): void {
    if (text.length > this.maxTextLength) return;
    this.vectors.delete(text);
    this.vectors.set(text, Float32Array.from(vector));
    if (this.vectors.size > this.maxEntries) this.vectors.delete(this.vectors.keys().next().value!);
  }

  get size(): number {
    return this.vectors.size;
  }
}
