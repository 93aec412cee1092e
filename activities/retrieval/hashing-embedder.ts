import type { Embedder } from './embedder';
import { contentTokens, fnv1a, stemToken as stem } from './tokenize';

/**
 * Offline embedder by feature hashing of stemmed words and word bigrams into a signed,
 * L2-normalised vector. No model, no network: a lexical-semantic baseline that keeps the
 * one-machine default working when no embedding model is installed.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  readonly inProcess = true;
  constructor(readonly dimensions = 256) {
    this.id = `hashing-${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
  }

  private embedOne(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    const tokens = contentTokens(text).map(stem);
    const features = [...tokens, ...tokens.slice(1).map((token, index) => `${tokens[index]} ${token}`)];
    for (const feature of features) {
      const hash = fnv1a(feature);
      vector[hash % this.dimensions]! += hash & 0x80000000 ? -1 : 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  }
}
