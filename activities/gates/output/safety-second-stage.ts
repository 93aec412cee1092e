import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readModelFile } from '../text/linear-model';
import { EmbeddingLogisticModel } from '../text/second-stage';

/** Where scripts/train-safety-second-stage.ts writes the safety gate's second-stage model. */
export const safetySecondStagePath = join(__dirname, 'safety-second-stage.json');

let sharedModel: EmbeddingLogisticModel | undefined;

/**
 * The safety gate's second-stage model (over MiniLM embeddings and the first stage's score), loaded
 * once per process; read from disk rather than imported, so its training provenance is not kept.
 */
export function safetySecondStageModel(): EmbeddingLogisticModel {
  sharedModel ??= new EmbeddingLogisticModel(readModelFile(safetySecondStagePath), 'safety-second-stage');
  return sharedModel;
}

/** Whether the trained model file is present (the bench reports nothing for the stage without it). */
export function safetySecondStageTrained(): boolean {
  return existsSync(safetySecondStagePath);
}
