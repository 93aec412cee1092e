import { z } from 'zod';
import type { Embedder } from '../../retrieval/embedder';

/**
 * The injection gate's second stage: a logistic model over sentence embeddings (all-MiniLM-L6-v2),
 * trained by scripts/train-injection-second-stage.ts. The hashed n-gram classifier reads surface
 * words; paraphrased injections it has not seen ("stop acting as …", "from now on you answer as …")
 * score in an uncertain band below the review threshold. Only texts in that band are embedded (a
 * few in a hundred ordinary prompts): embedding costs tens of milliseconds where the first stage
 * costs one or two.
 */
export const secondStageModelSchema = z.object({
  name: z.literal('injection-second-stage'),
  /** The embedder id the weights were trained on; any other embedder leaves the stage off. */
  embedder: z.string(),
  dimensions: z.number().int().positive(),
  bias: z.number(),
  weights: z.array(z.number()),
  /** First-stage combined scores from this up to the gate's review threshold are embedded. */
  bandFrom: z.number().min(0).max(1),
  /** A second-stage probability at or above this escalates the text to review. */
  reviewAt: z.number().min(0).max(1),
  /** Provenance: data, held-out rule, hashes of the texts trained on, cross-validated metrics. */
  trainedOn: z.record(z.string(), z.unknown()),
});
export type SecondStageModelFile = z.infer<typeof secondStageModelSchema>;

/** A loaded second-stage model: scores one embedding. */
export class SecondStageModel {
  readonly embedder: string;
  readonly bandFrom: number;
  readonly reviewAt: number;
  private readonly weights: Float64Array;
  private readonly bias: number;

  constructor(file: unknown) {
    const parsed = secondStageModelSchema.parse(file);
    if (parsed.weights.length !== parsed.dimensions) {
      throw new Error(`second-stage model has ${parsed.weights.length} weights for ${parsed.dimensions} dimensions`);
    }
    this.embedder = parsed.embedder;
    this.bandFrom = parsed.bandFrom;
    this.reviewAt = parsed.reviewAt;
    this.weights = Float64Array.from(parsed.weights);
    this.bias = parsed.bias;
  }

  get dimensions(): number {
    return this.weights.length;
  }

  /** Probability that the embedded text is an injection. */
  probability(embedding: readonly number[]): number {
    let sum = this.bias;
    for (let index = 0; index < this.weights.length; index += 1) sum += this.weights[index]! * (embedding[index] ?? 0);
    return 1 / (1 + Math.exp(-sum));
  }

  /**
   * Whether `embedder` can serve this model: the same model the weights were trained on, running in
   * this process (the user's unredacted prompt must not go to an embedding API to be checked).
   */
  accepts(embedder: Embedder): boolean {
    return embedder.id === this.embedder && embedder.dimensions === this.dimensions && embedder.inProcess === true;
  }
}

/** A second stage ready to run: the model and the embedder it reads vectors from. */
export interface SecondStage {
  model: SecondStageModel;
  embedder: Embedder;
}

let sharedEmbedder: Embedder | undefined;

/**
 * Hands the gate the process's sentence embedder (the worker's retrieval embedder), so the model is
 * loaded once and shared. An embedder the second-stage model was not trained on (hashing, an API)
 * is ignored: the gate then runs its first stage only, as without this call.
 */
export function useSentenceEmbedderForInjection(embedder: Embedder | undefined): void {
  sharedEmbedder = embedder;
}

/** The embedder given to useSentenceEmbedderForInjection, if any. */
export function sharedSentenceEmbedder(): Embedder | undefined {
  return sharedEmbedder;
}
