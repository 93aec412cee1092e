import { proxyActivities } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import { ingestBatchInputSchema, type DocumentOutcome } from '../contracts/ingest';
import { workflowVersioning } from '../contracts/worker-deployment';
import { ingestFilePreset } from './activity-presets';
import { parseWorkflowInput } from './parse-input';
import { declareVersioning } from './versioning';

const files = proxyActivities<SluiceActivities>(ingestFilePreset);

/** Files ingested at once within one batch. */
const parallelDocuments = 4;

/**
 * One batch of a large ingest, run as a child of ingestWorkflow: its own history holds the
 * per-file activities, so the parent's history grows by one child per batch, not one event
 * group per file.
 */
export async function ingestBatchWorkflow(rawInput: unknown): Promise<DocumentOutcome[]> {
  const input = parseWorkflowInput(ingestBatchInputSchema, rawInput);
  const outcomes: DocumentOutcome[] = [];
  for (let start = 0; start < input.files.length; start += parallelDocuments) {
    const batch = input.files.slice(start, start + parallelDocuments);
    outcomes.push(...(await Promise.all(batch.map((file) => files.ingestDocument({ tenant: input.tenant, file })))));
  }
  return outcomes;
}

// How runs of this type move to a new build (contracts/worker-deployment.ts says why).
declareVersioning(ingestBatchWorkflow, workflowVersioning.ingestBatch);
