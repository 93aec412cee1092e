import type { CallTags, TokenUsage } from '../../contracts/models';

/** One priced model call. */
export interface CostRecord extends CallTags {
  modelId: string;
  provider: string;
  usage: TokenUsage;
  costMicroUsd: number;
  /** Workflow and activity ids, so a retried call can be deduplicated downstream. */
  workflowId: string;
  activityId: string;
  attempt: number;
}

/** Where cost records go: a log line today, a ledger when budgets land. */
export interface CostRecorder {
  record(entry: CostRecord): void;
}

/** A recorder that keeps records in memory (tests, benchmarks). */
export class MemoryCostRecorder implements CostRecorder {
  readonly records: CostRecord[] = [];
  record(entry: CostRecord): void {
    this.records.push(entry);
  }
}
