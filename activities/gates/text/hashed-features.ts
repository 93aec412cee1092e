// Hashed bag of character and word n-grams: a fixed-size sparse vector with no vocabulary
// to store, so the model file holds weights only and unseen words still land in a bucket.

/** Number of hash buckets (2^18): large enough that collisions barely matter at this data size. */
export const featureBuckets = 1 << 18;

/** 32-bit FNV-1a, seeded so word and character n-grams fall into different buckets. */
function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Sparse feature vector: bucket index → value, L2-normalised so long and short texts compare. */
export type SparseVector = Map<number, number>;

const wordPattern = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/**
 * Features of already-normalised (lower-case) text: character 3–5-grams of each word padded
 * with spaces, word unigrams and word bigrams.
 */
export function hashedFeatures(text: string): SparseVector {
  const vector: SparseVector = new Map();
  const add = (key: string, seed: number) => {
    const bucket = fnv1a(key, seed) % featureBuckets;
    vector.set(bucket, (vector.get(bucket) ?? 0) + 1);
  };
  const words = text.match(wordPattern) ?? [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    add(word, 1);
    if (index > 0) add(`${words[index - 1]} ${word}`, 2);
    const padded = ` ${word} `;
    for (let size = 3; size <= 5; size += 1) {
      for (let start = 0; start + size <= padded.length; start += 1) add(padded.slice(start, start + size), 3);
    }
  }
  let norm = 0;
  for (const value of vector.values()) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (const [bucket, value] of vector) vector.set(bucket, value / norm);
  return vector;
}
