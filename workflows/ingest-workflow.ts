import { proxyActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import { ingestRequestSchema, type DocumentOutcome, type IngestProgress, type IngestResult } from '../contracts/ingest';
import { workflowStatuses } from '../contracts/search-attributes';
import { ingestPreset, retrievalPreset } from './activity-presets';
import { ingestProgressQuery } from './messages';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';

const sources = proxyActivities<SluiceActivities>(retrievalPreset);
const ingest = proxyActivities<SluiceActivities>(ingestPreset);

/** Documents ingested at once; bounded so one ingest doesn't starve the worker. */
const parallelDocuments = 4;

/** Ingest pipeline: list files → per document (read, chunk, embed, upsert) → report. */
export async function ingestWorkflow(rawRequest: unknown): Promise<IngestResult> {
  const request = parseWorkflowInput(ingestRequestSchema, rawRequest);
  markExecution({ tenant: request.tenant, feature: 'ingest', status: workflowStatuses.running });
  const progress: IngestProgress = { totalDocuments: 0, processedDocuments: 0, chunks: 0 };
  setHandler(ingestProgressQuery, () => progress);

  const files = await sources.listSourceFiles({ path: request.path });
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
  return { documents: outcomes, ingestedDocuments: ingested.length, skippedDocuments: outcomes.length - ingested.length, chunks: progress.chunks };
}
