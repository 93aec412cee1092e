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
  /** Group that must decide a run waiting for review. */
  reviewGroup: { name: 'SluiceReviewGroup', type: 'KEYWORD' },
  /** `<prompt id>@<version>` the run was pinned to. */
  promptVersion: { name: 'SluicePromptVersion', type: 'KEYWORD' },
  /** A/B variant the run was assigned (`default` outside experiments). */
  variant: { name: 'SluiceVariant', type: 'KEYWORD' },
  /** `exact` or `semantic` when the answer was served from the answer cache, `miss` when it was generated. */
  cacheHit: { name: 'SluiceCacheHit', type: 'KEYWORD' },
} as const satisfies Record<string, { name: string; type: SearchAttributeType }>;

/** Values of the SluiceStatus search attribute. */
export const workflowStatuses = {
  running: 'running',
  blocked: 'blocked',
  /** Waiting for a reviewer's decision. */
  pendingReview: 'pending_review',
  /** Set only by runs started before review waited for a decision: the answer was withheld. */
  reviewRequired: 'review_required',
  /** A reviewer, or the review deadline, rejected the answer. */
  rejected: 'rejected',
  answered: 'answered',
  /** Retrieval found nothing to answer from, or the model returned no text. */
  noContext: 'no_context',
  degraded: 'degraded',
  ingested: 'ingested',
  /** A rating was stored, or a feedback report made. */
  recorded: 'recorded',
  failed: 'failed',
} as const;
export type WorkflowStatus = (typeof workflowStatuses)[keyof typeof workflowStatuses];
