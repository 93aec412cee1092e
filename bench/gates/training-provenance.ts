import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

// What a shipped gate model was trained on, recorded by scripts/train-linear-gate.ts beside its
// weights, so a bench can say whether (and which rows of) the file it scores were training data
// instead of printing a trained-on-the-test-set F1 as if it were a quality figure.

/** One row in this many of a development set is held out of training (by a hash of its text). */
export const heldOutOneIn = 5;

/** sha256 of the file's bytes, hex. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A short hash of one text, enough to tell training rows apart (64 bits). */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/**
 * True for rows of a development set kept out of training. Decided by the text's hash, not its
 * position, so the split survives reordering and a duplicated text never lands on both sides.
 */
export function isHeldOut(text: string): boolean {
  return isOneIn(text, heldOutOneIn);
}

/** True for about one text in `oneIn`: its sha256's 32-bit prefix is 0 mod `oneIn`. */
export function isOneIn(text: string, oneIn: number): boolean {
  return Number.parseInt(textHash(text).slice(0, 8), 16) % oneIn === 0;
}

/** The held-out rule as written into the model file and the bench output. */
export const heldOutRule =
  `rows whose sha256(text) as a 32-bit prefix is 0 mod ${heldOutOneIn} (about 1 in ${heldOutOneIn})`;

/** Provenance the training script writes under `trainedOn` in a model file. */
export const trainingProvenanceSchema = z.object({
  /** The development file, relative to the shared eval folder (e.g. `eval/injection/dev.jsonl`). */
  data: z.string(),
  dataSha256: z.string(),
  dataRows: z.number().int(),
  heldOutRule: z.string(),
  trainingRows: z.number().int(),
  heldOutRows: z.number().int(),
  /** `textHash` of every text the model was trained on, extra benign texts included. */
  trainedTextHashes: z.array(z.string()),
});
export type TrainingProvenance = z.infer<typeof trainingProvenanceSchema>;

/**
 * The provenance of a model trained on the training rows of the dev file at `dataPath` and on
 * `trainedTexts` (those rows' texts and any extra texts), as the training scripts record it.
 */
export function trainingProvenance(input: {
  dataPath: string; dataRows: number; trainingRows: number; heldOutRows: number; trainedTexts: Iterable<string>;
}): TrainingProvenance {
  return {
    data: input.dataPath.replace(/^.*\/eval\//, 'eval/'), dataSha256: fileSha256(input.dataPath),
    dataRows: input.dataRows, heldOutRule, trainingRows: input.trainingRows, heldOutRows: input.heldOutRows,
    trainedTextHashes: [...new Set([...input.trainedTexts].map(textHash))].sort(),
  };
}

/** How a file being scored relates to the shipped model's training data. */
export interface TrainingOverlap {
  shippedModelTrainedOn: string;
  /** True when the scored file is byte for byte the file the shipped model's training rows came from. */
  fileIsShippedModelsDevelopmentFile: boolean;
  /** Rows of the scored file whose text the shipped model was trained on (their scores are optimistic). */
  rowsSeenInTraining: number;
  rowsUnseen: number;
}

/** Reads a model file's provenance; a model trained before provenance was recorded fails loudly. */
export function shippedProvenance(modelFile: { trainedOn: Record<string, unknown> }): TrainingProvenance {
  const parsed = trainingProvenanceSchema.safeParse(modelFile.trainedOn);
  if (!parsed.success) {
    throw new Error('the shipped model records no training provenance: retrain it with scripts/train-linear-gate.ts');
  }
  return parsed.data;
}

/** Which rows of a scored file (`fileHash`: its `fileSha256`) the shipped model saw in training. */
export function trainingOverlap(
  provenance: TrainingProvenance, fileHash: string, texts: readonly string[],
): { overlap: TrainingOverlap; seen: boolean[] } {
  const trained = new Set(provenance.trainedTextHashes);
  const seen = texts.map((text) => trained.has(textHash(text)));
  const rowsSeenInTraining = seen.filter(Boolean).length;
  return {
    seen,
    overlap: {
      shippedModelTrainedOn:
        `${provenance.data} (${provenance.trainingRows} of ${provenance.dataRows} rows; held out: ${heldOutRule})`,
      fileIsShippedModelsDevelopmentFile: fileHash === provenance.dataSha256,
      rowsSeenInTraining,
      rowsUnseen: texts.length - rowsSeenInTraining,
    },
  };
}

/**
 * A bench's figures for the shipped model twice: on the rows it never trained on (the ones that count) and on
 * every row (optimistic where it trained on them). `scoredOn` computes the figures over the rows it includes.
 */
export function shippedModelFigures<Figures extends object>(
  overlap: TrainingOverlap, seen: readonly boolean[], scoredOn: (includes: (index: number) => boolean) => Figures,
): { shippedModel: { scoredOn: string } & Figures; shippedModelAllRows: { scoredOn: string } & Figures } {
  return {
    shippedModel: {
      scoredOn: 'rows of this file the shipped model was not trained on', ...scoredOn((index) => !seen[index]),
    },
    shippedModelAllRows: {
      scoredOn: `every row; ${overlap.rowsSeenInTraining} of them were the shipped model's training data, `
        + 'so this is optimistic',
      ...scoredOn(() => true),
    },
  };
}
