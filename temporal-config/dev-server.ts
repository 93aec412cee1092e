import { sluiceSearchAttributes } from '../contracts/search-attributes';

/** Options for the embedded Temporal dev server. */
export interface DevServerOptions {
  /** SQLite file that persists workflows across restarts; omit for in-memory. */
  dbFilename?: string;
  /** gRPC frontend port. @default 7233 */
  port?: number;
  /** Web UI port; omit or pass `null` to run headless. @default 8233 */
  uiPort?: number | null;
  /** @default 127.0.0.1 */
  ip?: string;
  /** @default 'default' */
  namespace?: string;
  /** @default 'warn' */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Leave the history queues' per-shard poll limits at the server's defaults (20/s), as releases
   * before this setting did: only for benchmarks that measure what lifting them gains.
   */
  defaultQueueLimits?: boolean;
}

/** `--search-attribute Name=Type` flags for every Sluice search attribute. */
export function searchAttributeFlags(): string[] {
  return Object.values(sluiceSearchAttributes).flatMap(({ name, type }) => [
    '--search-attribute',
    `${name}=${toCliType(type)}`,
  ]);
}

/** A search-attribute type as the Temporal CLI and tcld spell it (`KEYWORD` → `Keyword`). */
export function toCliType(type: string): string {
  const names: Record<string, string> = {
    KEYWORD: 'Keyword',
    TEXT: 'Text',
    INT: 'Int',
    DOUBLE: 'Double',
    BOOL: 'Bool',
    DATETIME: 'Datetime',
    KEYWORD_LIST: 'KeywordList',
  };
  return names[type] ?? type;
}

/**
 * Dynamic config for the dev server. Search-attribute cache refresh is made instant so
 * attributes registered at start-up can be used by the first workflow.
 *
 * The `*ProcessorMaxPollRPS` limits are per history shard (default 20 reads/s). A cluster spreads
 * its load over hundreds of shards; the dev server has one, so after a burst of ~10 the transfer
 * queue's limiter held every workflow task ~40 ms before matching saw it (the stall in
 * ../shared/probes/temporal-floor: one-activity workflow 100 ms → 32 ms p50 with it lifted).
 *
 * A tenant's budget ledger takes one update per reserve and per settle. The default of 10 in flight
 * per workflow refused bursts of concurrent answers (retried, but noisy and slower); 200 admits them.
 */
export const devServerDynamicConfig: Record<string, string> = {
  'system.forceSearchAttributesCacheRefreshOnRead': 'true',
  'history.transferProcessorMaxPollRPS': '10000',
  'history.timerProcessorMaxPollRPS': '10000',
  'history.visibilityProcessorMaxPollRPS': '10000',
  'frontend.enableUpdateWorkflowExecution': 'true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': 'true',
  'history.maxInFlightUpdates': '200',
};

/** The keys above that lift the history queues' per-shard poll limits. */
const queueReaderLimits = [
  'history.transferProcessorMaxPollRPS', 'history.timerProcessorMaxPollRPS', 'history.visibilityProcessorMaxPollRPS',
];

/** Arguments for `temporal server start-dev`. */
export function devServerArgs(options: DevServerOptions = {}): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.ip ?? '127.0.0.1',
    '--port',
    String(options.port ?? 7233),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    options.logLevel ?? 'warn',
  ];
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort ?? 8233));
  for (const [key, value] of Object.entries(devServerDynamicConfig)) {
    if (options.defaultQueueLimits && queueReaderLimits.includes(key)) continue;
    args.push('--dynamic-config-value', `${key}=${value}`);
  }
  return [...args, ...searchAttributeFlags()];
}
