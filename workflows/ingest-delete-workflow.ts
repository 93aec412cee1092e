import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { SluiceActivities } from '../activities';
import { deleteDocumentsRequestSchema, type DeleteDocumentsResult } from '../contracts/ingest';
import { workflowVersioning } from '../contracts/worker-deployment';
import { ingestPreset } from './activity-presets';
import { parseWorkflowInput } from './parse-input';
import { markExecution } from './search-attributes';
import { declareVersioning } from './versioning';

const store = proxyActivities<SluiceActivities>(ingestPreset);

/** Removes documents and all their chunks from a tenant's store; repeating it is harmless. */
export async function deleteDocumentsWorkflow(rawRequest: unknown): Promise<DeleteDocumentsResult> {
  const request = parseWorkflowInput(deleteDocumentsRequestSchema, rawRequest);
  markExecution({ tenant: request.tenant, feature: 'delete-documents' });
  const result = await store.deleteDocuments({ tenant: request.tenant, documentIds: request.documentIds });
  setCurrentDetails(`deleted ${result.deletedChunks} chunk(s) of ${request.documentIds.length} document(s)`);
  return result;
}

// How runs of this type move to a new build (contracts/worker-deployment.ts says why).
declareVersioning(deleteDocumentsWorkflow, workflowVersioning.deleteDocuments);
