import { join } from 'node:path';
import { z } from 'zod';
import { readModelFile } from './linear-model';

/**
 * alt-profanity-check's classifier (PyPI, MIT), exported by scripts/export-profanity-model.py: tf-idf
 * over lower-cased word unigrams, scored by five linear SVMs whose sigmoid-calibrated probabilities
 * are averaged, as scikit-learn's CalibratedClassifierCV does. It was trained on offensive tweets and
 * Wikipedia talk-page comments, far more text than the moderation rows here, which is what the
 * safety gate takes from it: a signal learnt elsewhere, as one more feature of its second stage.
 */
export const profanityModelFileSchema = z.object({
  name: z.string(),
  source: z.record(z.string(), z.string()),
  terms: z.array(z.string()).min(1),
  idf: z.array(z.number()),
  classifiers: z.array(z.object({ weights: z.array(z.number()), bias: z.number(), a: z.number(), b: z.number() }))
    .min(1),
}).refine((file) => file.idf.length === file.terms.length
  && file.classifiers.every((classifier) => classifier.weights.length === file.terms.length),
{ message: 'idf and every classifier must have one entry per term' });

/** Where the exported model lives. */
export const profanityModelPath = join(__dirname, 'profanity-model.json');

// scikit-learn's default token pattern, (?u)\b\w\w+\b: runs of two or more word characters.
const wordPattern = /[\p{L}\p{N}_]{2,}/gu;

export class ProfanityModel {
  private readonly index: Map<string, number>;
  private readonly idf: Float64Array;
  private readonly classifiers: { weights: Float64Array; bias: number; a: number; b: number }[];

  constructor(file: unknown) {
    const parsed = profanityModelFileSchema.parse(file);
    this.index = new Map(parsed.terms.map((term, position) => [term, position]));
    this.idf = Float64Array.from(parsed.idf);
    this.classifiers = parsed.classifiers.map(({ weights, bias, a, b }) => ({
      weights: Float64Array.from(weights), bias, a, b,
    }));
  }

  /** The probability that `text` is profane or offensive, in [0, 1]. */
  probability(text: string): number {
    const counts = new Map<number, number>();
    for (const [word] of text.toLowerCase().matchAll(wordPattern)) {
      const position = this.index.get(word);
      if (position !== undefined) counts.set(position, (counts.get(position) ?? 0) + 1);
    }
    let norm = 0;
    for (const [position, count] of counts) norm += (count * this.idf[position]!) ** 2;
    norm = Math.sqrt(norm) || 1;
    let sum = 0;
    for (const { weights, bias, a, b } of this.classifiers) {
      let decision = bias;
      for (const [position, count] of counts) decision += (weights[position]! * count * this.idf[position]!) / norm;
      sum += 1 / (1 + Math.exp(a * decision + b));
    }
    return sum / this.classifiers.length;
  }
}

let shared: ProfanityModel | undefined;

/** The exported model, loaded once per process (read from disk, not bundled). */
export function profanityModel(): ProfanityModel {
  shared ??= new ProfanityModel(readModelFile(profanityModelPath));
  return shared;
}
