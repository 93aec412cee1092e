// Workflow type and message names, shared by workflows and clients so neither hard-codes them.
export const workflowTypes = {
  answer: 'answerWorkflow',
  ingest: 'ingestWorkflow',
} as const;

export const messageNames = {
  ingestProgressQuery: 'ingestProgress',
} as const;

/** Workflow ids carry the business id, so executions can be found and deduplicated. */
export const workflowIds = {
  answer: (tenant: string, requestId: string): string => `answer-${tenant}-${requestId}`,
  ingest: (tenant: string, ingestId: string): string => `ingest-${tenant}-${ingestId}`,
};
