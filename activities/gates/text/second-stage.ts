import { z } from 'zod';
import type { Embedder } from '../../retrieval/embedder';
import { profanityModel } from './profanity-model';

/**
 * A gate's second stage: a logistic model over sentence embeddings (all-MiniLM-L6-v2) of the span
 * the gate's first stage (a hashed n-gram classifier) scored highest. Only texts the first stage
 * scores in an uncertain band are embedded: embedding costs tens of milliseconds where the first
 * stage costs one or two. The injection and safety gates each ship one (their own JSON file).
 */
export const secondStageFileSchema = z.object({
  name: z.string(),
  /** The embedder id the weights were trained on; any other embedder leaves the stage off. */
  embedder: z.string(),
  dimensions: z.number().int().positive(),
  bias: z.number(),
  weights: z.array(z.number()),
  /**
   * Weight of the first stage's score as one more feature (its logit / 4), when the model was
   * trained with it; absent means the embedding alone.
   */
  firstStageWeight: z.number().optional(),
  /**
   * Weight of alt-profanity-check's probability for the span (its logit / 4; profanity-model.ts), when
   * the model was trained with it; absent means not read.
   */
  profanityWeight: z.number().optional(),
  /** First-stage scores from this up are embedded (the upper end is the gate's own). */
  bandFrom: z.number().min(0).max(1),
  /** A second-stage probability at or above this counts as a positive. */
  reviewAt: z.number().min(0).max(1),
  /** Provenance: data, held-out rule, hashes of the texts trained on, cross-validated metrics. */
  trainedOn: z.record(z.string(), z.unknown()),
});
export type SecondStageFile = z.infer<typeof secondStageFileSchema>;

/** The logit of a probability, kept finite at 0 and 1. */
export function clampedLogit(probability: number): number {
  const clamped = Math.min(1 - 1e-6, Math.max(1e-6, probability));
  return Math.log(clamped / (1 - clamped));
}

/** The first-stage score as the feature the models are trained on: its logit, scaled to embedding range. */
export function firstStageFeature(score: number): number {
  return clampedLogit(score) / 4;
}

/** alt-profanity-check's probability for a span, scaled as the first stage's score is (runtime and trainer). */
export function profanityFeature(span: string): number {
  return firstStageFeature(profanityModel().probability(span));
}

/** A loaded second-stage model: scores one embedding (and, if trained so, the first stage's score). */
export class EmbeddingLogisticModel {
  readonly name: string;
  readonly embedder: string;
  readonly bandFrom: number;
  readonly reviewAt: number;
  private readonly weights: Float64Array;
  private readonly bias: number;
  private readonly firstStageWeight: number;
  private readonly profanityWeight: number;

  /** @param expectedName the `name` the file must carry, so one gate's weights never load into another. */
  constructor(file: unknown, expectedName: string) {
    const parsed = secondStageFileSchema.parse(file);
    if (parsed.name !== expectedName) throw new Error(`expected a ${expectedName} model, got ${parsed.name}`);
    if (parsed.weights.length !== parsed.dimensions) {
      throw new Error(`second-stage model has ${parsed.weights.length} weights for ${parsed.dimensions} dimensions`);
    }
    this.name = parsed.name;
    this.embedder = parsed.embedder;
    this.bandFrom = parsed.bandFrom;
    this.reviewAt = parsed.reviewAt;
    this.weights = Float64Array.from(parsed.weights);
    this.bias = parsed.bias;
    this.firstStageWeight = parsed.firstStageWeight ?? 0;
    this.profanityWeight = parsed.profanityWeight ?? 0;
  }

  get dimensions(): number {
    return this.weights.length;
  }

  /** Whether the model reads the span's profanity (alt-profanity-check) besides the embedding. */
  get usesProfanity(): boolean {
    return this.profanityWeight !== 0;
  }

  /** Whether the model reads the first stage's score besides the embedding. */
  get usesFirstStage(): boolean {
    return this.firstStageWeight !== 0;
  }

  /**
   * Probability of the positive class for an embedded text; `firstStageScore` and `span` (the embedded
   * text, for its profanity) are read only if the model was trained with them.
   */
  probability(embedding: readonly number[], firstStageScore = 0.5, span = ''): number {
    let sum = this.bias + (this.usesFirstStage ? this.firstStageWeight * firstStageFeature(firstStageScore) : 0)
      + (this.usesProfanity ? this.profanityWeight * profanityFeature(span) : 0);
    for (let index = 0; index < this.weights.length; index += 1) sum += this.weights[index]! * (embedding[index] ?? 0);
    return 1 / (1 + Math.exp(-sum));
  }

  /**
   * Whether `embedder` can serve this model: the same model the weights were trained on, running in
   * this process (the user's unredacted text must not go to an embedding API to be checked).
   */
  accepts(embedder: Embedder): boolean {
    return embedder.id === this.embedder && embedder.dimensions === this.dimensions && embedder.inProcess === true;
  }
}

/** A second stage ready to run: the model and the embedder it reads vectors from. */
export interface SecondStage<Model extends EmbeddingLogisticModel = EmbeddingLogisticModel> {
  model: Model;
  embedder: Embedder;
}

let sharedEmbedder: Embedder | undefined;

/**
 * Hands the gates the process's sentence embedder (the worker's retrieval embedder), so the model
 * is loaded once and shared by every gate with a second stage. An embedder a second-stage model
 * was not trained on (hashing, an API) is ignored: that gate then runs its first stage only.
 */
export function useSentenceEmbedderForGates(embedder: Embedder | undefined): void {
  sharedEmbedder = embedder;
}

/**
 * The shared embedder with the model `loadModel` returns, when the model was trained on it; else
 * undefined (first stage only). The model is loaded only when there is an embedder to use it with.
 */
export function usableSecondStage<Model extends EmbeddingLogisticModel>(
  loadModel: () => Model,
): SecondStage<Model> | undefined {
  const embedder = sharedEmbedder;
  if (!embedder) return undefined;
  const model = loadModel();
  return model.accepts(embedder) ? { model, embedder } : undefined;
}

/**
 * How long a second stage may wait for its embedding, well inside a gate's own time budget (2 s
 * by default, after which the failure policy would block): a slower embedding leaves the first
 * stage's decision in place.
 */
export const secondStageBudgetMs = 500;

/**
 * The second stage's probability for `span`, or undefined when the embedder failed or took longer
 * than the budget: the first stage has decided already, and a busy or broken embedder must not turn
 * its decision into a gate failure.
 */
export async function secondStageProbability(
  stage: SecondStage, span: string, firstStageScore?: number,
): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // The embedder may be busy embedding an ingest batch.
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), secondStageBudgetMs);
    });
    const vectors = await Promise.race([stage.embedder.embed([span]), late]);
    return vectors ? stage.model.probability(vectors[0] ?? [], firstStageScore, span) : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
