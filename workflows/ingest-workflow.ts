import { patched, proxyActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import {
  ingestWorkflowInputSchema,
  type DocumentOutcome,
  type IngestProgress,
  type IngestRequest,
  type IngestResult,
} from '../contracts/ingest';
import { workflowStatuses } from '../contracts/search-attributes';
import { workflowVersioning } from '../contracts/worker-deployment';
import { ingestPreset, retrievalPreset } from './activity-presets';
import { ingestPatches, runIngest } from './ingest-run';
import { ingestProgressQuery } from './messages';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';
import { declareVersioning } from './versioning';

const sources = proxyActivities<SluiceActivities>(retrievalPreset);
const ingest = proxyActivities<SluiceActivities>(ingestPreset);

/** Documents ingested at once; bounded so one ingest doesn't starve the worker. */
const parallelDocuments = 4;

/**
 * Ingest pipeline: files under a path and/or inline documents → per document (read, parse,
 * chunk, embed, upsert, drop older chunks) → report. Large corpora fan out to child workflows
 * per batch of files and continue as new to keep history bounded. Progress is a query.
 */
export async function ingestWorkflow(rawRequest: unknown): Promise<IngestResult> {
  const input = parseWorkflowInput(ingestWorkflowInputSchema, rawRequest);
  const { continuation, tuning, ...request } = input;
  if (!continuation) markExecution({ tenant: request.tenant, feature: 'ingest', status: workflowStatuses.running });
  const progress: IngestProgress = continuation
    ? { ...continuation.progress }
    : { totalDocuments: 0, processedDocuments: 0, chunks: 0 };
  setHandler(ingestProgressQuery, () => progress);
  // Executions recorded before inline documents, paging and child workflows replay the old path.
  if (!patched(ingestPatches.pagedWithChildren)) return legacyIngest(request, progress);
  const result = await runIngest(request, progress, continuation, tuning);
  markExecution({ status: workflowStatuses.ingested });
  return result;
}

/** The first version of the pipeline, kept verbatim for executions started before the patch. */
async function legacyIngest(request: IngestRequest, progress: IngestProgress): Promise<IngestResult> {
  const files = await sources.listSourceFiles({ tenant: request.tenant, path: request.path! });
  progress.totalDocuments = files.length;
  const outcomes: DocumentOutcome[] = new Array(files.length);
  for (let start = 0; start < files.length; start += parallelDocuments) {
    const batch = files.slice(start, start + parallelDocuments);
    const results = await Promise.all(batch.map((file) => ingest.ingestDocument({ tenant: request.tenant, file })));
    results.forEach((outcome, index) => {
      outcomes[start + index] = outcome;
      progress.processedDocuments += 1;
      progress.chunks += outcome.chunks;
    });
    setCurrentDetails(`${progress.processedDocuments}/${progress.totalDocuments} documents, ${progress.chunks} chunks`);
  }
  markExecution({ status: workflowStatuses.ingested });
  const ingested = outcomes.filter((outcome) => outcome.status === 'ingested');
  return {
    documents: outcomes,
    ingestedDocuments: ingested.length,
    skippedDocuments: outcomes.length - ingested.length,
    chunks: progress.chunks,
  };
}

// How runs of this type move to a new build (contracts/worker-deployment.ts says why).
declareVersioning(ingestWorkflow, workflowVersioning.ingest);
