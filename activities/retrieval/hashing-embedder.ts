import type { Embedder } from './embedder';
import { contentTokens } from './tokenize';

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Cheap suffix folding so "workflows" and "workflow" land in the same bucket. */
function stem(token: string): string {
  return token.length > 4 ? token.replace(/(ing|ed|es|s)$/u, '') : token;
}

/**
 * Offline embedder by feature hashing of stemmed words and word bigrams into a signed,
 * L2-normalised vector. No model, no network: a lexical-semantic baseline that keeps the
 * one-machine default working when no embedding model is installed.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
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
