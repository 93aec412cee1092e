import { devServerDynamicConfig } from './dev-server';

// Dynamic config a production cluster (self-hosted) needs for Sluice, with the reason for each key. The files
// under temporal-config/production/ carry the same values (a unit test compares them); Temporal Cloud manages
// its own and has these on.

/** One dynamic-config key: its value and why Sluice needs it. */
export interface DynamicConfigSetting {
  value: boolean | number;
  why: string;
}

export const productionDynamicConfig: Record<string, DynamicConfigSetting> = {
  'frontend.enableUpdateWorkflowExecution': {
    value: true, why: 'review decisions and budget reserve/settle/set are workflow updates',
  },
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': {
    value: true, why: 'clients may wait for an update to be accepted only, not completed',
  },
  'frontend.enableExecuteMultiOperation': {
    value: true, why: "update-with-start: a tenant's budget ledger is started by its first reservation",
  },
  'history.maxInFlightUpdates': {
    value: 200, why: "a burst of concurrent answers reserves on one tenant's ledger at once; 10 refuses them",
  },
  'history.maxTotalUpdates': {
    value: 2000, why: 'the ledger continues as new by 2,500 events (about 1,250 updates); never lower this',
  },
  'metrics.breakdownByTaskQueue': {
    value: true, why: 'approximate_backlog_count per task queue is the workers’ autoscaling metric',
  },
  'metrics.breakdownByPartition': {
    value: true, why: 'with it an unloaded (drained, idle) partition reports 0 instead of its last backlog',
  },
};

/**
 * Dev-server keys a production cluster does not take, and why. Every key of the dev config is either here
 * or in productionDynamicConfig with the same value, so a new dev key forces a decision for production.
 */
export const devOnlyDynamicConfig: Record<string, string> = {
  'system.forceSearchAttributesCacheRefreshOnRead':
    'lets the first workflow use attributes registered a moment before; a cluster registers them once, ahead',
  'history.transferProcessorMaxPollRPS': 'a per-shard limit: the dev server has 1 shard, a cluster hundreds',
  'history.timerProcessorMaxPollRPS': 'a per-shard limit, as above',
  'history.visibilityProcessorMaxPollRPS': 'a per-shard limit, as above',
};

/** Dev keys with no decision for production (empty when the two configs are in step). */
export function undecidedDevKeys(): string[] {
  return Object.keys(devServerDynamicConfig)
    .filter((key) => !(key in devOnlyDynamicConfig) && !(key in productionDynamicConfig));
}

/** The file format the server reads (`dynamicconfig` YAML, also the Helm chart's `server.dynamicConfig`). */
export function dynamicConfigFileEntries(): Record<string, { value: boolean | number }[]> {
  return Object.fromEntries(
    Object.entries(productionDynamicConfig).map(([key, { value }]) => [key, [{ value }]]),
  );
}
