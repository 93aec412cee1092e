// Custom search attributes, defined once: the dev server registers them at start-up
// (temporal-config/dev-server.ts) and workflows upsert them so executions can be found in the UI.
export const searchAttributeTypes = ['KEYWORD', 'TEXT', 'INT', 'DOUBLE', 'BOOL', 'DATETIME', 'KEYWORD_LIST'] as const;
export type SearchAttributeType = (typeof searchAttributeTypes)[number];

export const sluiceSearchAttributes = {
  tenant: { name: 'SluiceTenant', type: 'KEYWORD' },
  feature: { name: 'SluiceFeature', type: 'KEYWORD' },
  status: { name: 'SluiceStatus', type: 'KEYWORD' },
  model: { name: 'SluiceModel', type: 'KEYWORD' },
  costMicroUsd: { name: 'SluiceCostMicroUsd', type: 'INT' },
} as const satisfies Record<string, { name: string; type: SearchAttributeType }>;

/** Values of the SluiceStatus search attribute. */
export const workflowStatuses = {
  running: 'running',
  blocked: 'blocked',
  pendingReview: 'pending_review',
  /** A gate asked for human review; the answer was withheld (review loops come next). */
  reviewRequired: 'review_required',
  answered: 'answered',
  /** Retrieval found nothing to answer from, or the model returned no text. */
  noContext: 'no_context',
  degraded: 'degraded',
  ingested: 'ingested',
  failed: 'failed',
} as const;
export type WorkflowStatus = (typeof workflowStatuses)[keyof typeof workflowStatuses];
