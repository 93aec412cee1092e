import { z } from 'zod';
import {
  EmbeddingLogisticModel, secondStageFileSchema, type SecondStage as GateSecondStage,
} from '../text/second-stage';

/**
 * The injection gate's second stage (the shared model in ../text/second-stage.ts), trained by
 * scripts/train-injection-second-stage.ts. The hashed n-gram classifier reads surface words;
 * paraphrased injections it has not seen ("stop acting as …", "from now on you answer as …") score
 * in an uncertain band below the review threshold, and only those are embedded.
 */
export const secondStageModelSchema = secondStageFileSchema.extend({
  name: z.literal('injection-second-stage'),
});
export type SecondStageModelFile = z.infer<typeof secondStageModelSchema>;

/** A loaded injection second-stage model: scores one embedding. */
export class SecondStageModel extends EmbeddingLogisticModel {
  constructor(file: unknown) {
    super(file, 'injection-second-stage');
  }
}

/** A second stage ready to run: the model and the embedder it reads vectors from. */
export type SecondStage = GateSecondStage<SecondStageModel>;
