import { z } from 'zod';
import { paraphraseInputNames, type InverseDocumentFrequency } from './paraphrase-features';

// The paraphrase matcher's logistic model as saved by scripts/train-paraphrase-matcher.ts in
// paraphrase-model.json: standardisation, weights, the default threshold and the word weights, all
// fitted on the tuning split of ../shared/eval/paraphrase/dev.jsonl only.

/** The model file; a file whose inputs differ from the code's (a stale file) fails to load. */
export const paraphraseModelFileSchema = z
  .object({
    /** Input names in order; must equal `paraphraseInputNames`. */
    inputs: z.array(z.string()),
    /** Per input: subtracted, then divided by the scale (the tuning rows' mean and standard deviation). */
    means: z.array(z.number()),
    scales: z.array(z.number().positive()),
    weights: z.array(z.number()),
    bias: z.number(),
    /** Default score threshold, chosen on the tuning split's cross-validated scores. */
    threshold: z.number().min(0).max(1),
    /** Below this cosine no pair matches, whatever the score. */
    minimumCosine: z.number().min(-1).max(1),
    /** Document frequencies of content-word stems over the tuning pairs; stems seen fewer than twice are left out. */
    documentFrequencies: z.object({
      documents: z.number().int().positive(),
      counts: z.record(z.string(), z.number().int().min(2)),
    }),
    /** Provenance: data file, split rule, training rows, hyper-parameters, cross-validated figures. */
    trainedOn: z.object({ splitRule: z.string(), trainingRows: z.number().int().positive() }).passthrough(),
  })
  .superRefine((file, context) => {
    if (file.inputs.join(',') !== paraphraseInputNames.join(','))
      context.addIssue({ code: 'custom', message: `inputs ${file.inputs.join(',')} are not the code's inputs` });
    for (const key of ['means', 'scales', 'weights'] as const)
      if (file[key].length !== paraphraseInputNames.length)
        context.addIssue({ code: 'custom', message: `${key} has ${file[key].length} values, not one per input` });
  });
export type ParaphraseModelFile = z.infer<typeof paraphraseModelFileSchema>;

/** A loaded model: the file's numbers and its word weights as a lookup. */
export interface ParaphraseModel {
  means: readonly number[];
  scales: readonly number[];
  weights: readonly number[];
  bias: number;
  threshold: number;
  minimumCosine: number;
  idf: InverseDocumentFrequency;
}

/**
 * IDF as ln((documents + 1) / (count + 1)). A stem not in the table counts as seen once: the file
 * leaves those out, and a word met in a single training pair is as informative as an unseen one.
 */
export function inverseDocumentFrequency(table: ParaphraseModelFile['documentFrequencies']): InverseDocumentFrequency {
  // A Map, not the parsed object: a stem such as "constructor" must not find Object.prototype's.
  const counts = new Map(Object.entries(table.counts));
  const documents = table.documents;
  return (stem) => Math.log((documents + 1) / ((counts.get(stem) ?? 1) + 1));
}

/** Validates a model file (throws a ZodError naming what is wrong) and prepares it for scoring. */
export function loadParaphraseModel(file: unknown): ParaphraseModel {
  const parsed = paraphraseModelFileSchema.parse(file);
  const { means, scales, weights, bias, threshold, minimumCosine } = parsed;
  const idf = inverseDocumentFrequency(parsed.documentFrequencies);
  return { means, scales, weights, bias, threshold, minimumCosine, idf };
}

/** Probability that a pair are paraphrases, from its raw inputs (`paraphraseInputs`). */
export function paraphraseProbability(model: ParaphraseModel, inputs: readonly number[]): number {
  let sum = model.bias;
  for (let index = 0; index < inputs.length; index += 1)
    sum += (model.weights[index]! * (inputs[index]! - model.means[index]!)) / model.scales[index]!;
  return 1 / (1 + Math.exp(-sum));
}
