import type { Client } from '@temporalio/client';
import type { ActivityDependencies } from '../activities';
import { loadGateConfig } from '../activities/gates/load-gate-config';
import { RedactionSealer } from '../activities/gates/pii/redaction-seal';
import { loadModelCatalog } from '../activities/models/load-catalog';
import type { ModelCatalog } from '../contracts/model-catalog';
import { openEmbeddedDefaults } from './embedded-defaults';

/**
 * Everything the orchestration worker's activities need, read and validated once at start-up:
 * retrieval layers (store, embedder, reranker), the model catalog (SLUICE_MODEL_CATALOG) and the
 * gate configuration (SLUICE_GATE_CONFIG) with its redaction key. A bad file stops the process with a message naming it.
 */
export async function openOrchestrationDependencies(options: {
  dataDir: string;
  environment?: Record<string, string | undefined>;
  /** Lets the backtest activity read past executions. */
  client?: Client;
}): Promise<ActivityDependencies & { modelCatalog: ModelCatalog }> {
  const environment = options.environment ?? process.env;
  const modelCatalog = loadModelCatalog(environment);
  // The redaction key sits beside the data it protects (or comes from SLUICE_REDACTION_KEY).
  const gates = { config: loadGateConfig(environment), client: options.client, sealer: RedactionSealer.fromEnvironment(environment, options.dataDir) };
  const retrieval = await openEmbeddedDefaults(options.dataDir, environment);
  return { ...retrieval, modelCatalog, gates };
}
