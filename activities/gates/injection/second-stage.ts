import { EmbeddingLogisticModel, type SecondStage as GateSecondStage } from '../text/second-stage';

/**
 * The injection gate's second stage (the shared model in ../text/second-stage.ts), trained by
 * scripts/train-injection-second-stage.ts. The hashed n-gram classifier reads surface words;
 * paraphrased injections it has not seen ("stop acting as …", "from now on you answer as …") score
 * in an uncertain band below the review threshold, and only those are embedded. This class only
 * pins the model file's name, so another gate's weights never load here.
 */
export class SecondStageModel extends EmbeddingLogisticModel {
  constructor(file: unknown) {
    super(file, 'injection-second-stage');
  }
}

/** A second stage ready to run: the model and the embedder it reads vectors from. */
export type SecondStage = GateSecondStage<SecondStageModel>;
