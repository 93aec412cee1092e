import type { Client } from '@temporalio/client';
import type { ActivityDependencies } from '../activities';
import { AnswerCacheStore } from '../activities/cache/answer-cache-store';
import { FeedbackStore } from '../activities/feedback/feedback-store';
import { loadGateConfig } from '../activities/gates/load-gate-config';
import { RedactionSealer } from '../activities/gates/pii/redaction-seal';
import { loadModelCatalog } from '../activities/models/load-catalog';
import { loadPromptLibraryFromEnvironment } from '../activities/prompts/prompt-library';
import type { ModelCatalog } from '../contracts/model-catalog';
import { useSentenceEmbedderForGates } from '../activities/gates/text/second-stage';
import { openEmbeddedDefaults } from './embedded-defaults';

/**
 * Everything the orchestration worker's activities need, read and validated once at start-up:
 * retrieval layers (store, embedder, reranker), the model catalog (SLUICE_MODEL_CATALOG), the prompt
 * library (SLUICE_PROMPTS_DIR) and the gate configuration (SLUICE_GATE_CONFIG) with its redaction key.
 * A bad file stops the process with a message naming it.
 */
export async function openOrchestrationDependencies(options: {
  dataDir: string;
  environment?: Record<string, string | undefined>;
  /** Lets the backtest activity read past executions. */
  client?: Client;
  /**
   * Whether the redaction key may come from a key file under `dataDir` when SLUICE_REDACTION_KEY
   * is unset. Only for one process on one machine (`npm start`, the demo, tests): any other worker
   * would make its own key and could not restore what this one sealed. When false, an unset key
   * stops start-up with a RedactionKeyRequiredError naming SLUICE_REDACTION_KEY.
   */
  allowKeyFile: boolean;
  /** A sealer the caller already opened (a standalone worker checks its key before connecting). */
  sealer?: RedactionSealer;
}): Promise<ActivityDependencies & { modelCatalog: ModelCatalog }> {
  const environment = options.environment ?? process.env;
  // Checked first, so a worker without the shared key stops before opening anything else.
  const sealer = options.sealer
    ?? RedactionSealer.fromEnvironment(environment, options.dataDir, { allowKeyFile: options.allowKeyFile });
  const modelCatalog = loadModelCatalog(environment);
  const prompts = loadPromptLibraryFromEnvironment(environment);
  const gates = { config: loadGateConfig(environment), client: options.client, sealer };
  const retrieval = await openEmbeddedDefaults(options.dataDir, environment);
  // The injection and safety gates' second stages embed uncertain texts with this same model (never a second copy).
  useSentenceEmbedderForGates(retrieval.embedder);
  const feedbackStore = await FeedbackStore.open(options.dataDir);
  const answerCache = await AnswerCacheStore.open(options.dataDir);
  return { ...retrieval, modelCatalog, gates, prompts, feedbackStore, answerCache };
}

/** Closes what openOrchestrationDependencies opened: the vector store, the feedback store and the answer cache. */
export async function closeOrchestrationDependencies(dependencies: ActivityDependencies): Promise<void> {
  await dependencies.store.close();
  await dependencies.feedbackStore?.close();
  await dependencies.answerCache?.close();
}
