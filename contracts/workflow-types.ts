// Workflow type and message names, shared by workflows and clients so neither hard-codes them.
export const workflowTypes = {
  answer: 'answerWorkflow',
  /** Re-runs a candidate gate config over past answer executions and reports changed decisions. */
  backtestGates: 'backtestGatesWorkflow',
  ingest: 'ingestWorkflow',
  /** Child of ingestWorkflow for one batch of files of a large corpus. */
  ingestBatch: 'ingestBatchWorkflow',
  deleteDocuments: 'deleteDocumentsWorkflow',
  generate: 'generateWorkflow',
  /** Links a user's rating to the answer run it rates and stores it. */
  recordFeedback: 'recordFeedbackWorkflow',
  /** Aggregates stored feedback by prompt version and variant. */
  feedbackReport: 'feedbackReportWorkflow',
  /** One long-running ledger per tenant: reserves and settles budget, one update at a time. */
  budget: 'budgetWorkflow',
} as const;

export const messageNames = {
  ingestProgressQuery: 'ingestProgress',
  /** Update: a reviewer's decision, validated and answered. */
  reviewDecisionUpdate: 'reviewDecision',
  /** Signal: the same decision from tools that can only signal (refusals are logged, not returned). */
  reviewDecisionSignal: 'reviewDecisionSignal',
  /** Query: what a reviewer needs to decide. */
  reviewStateQuery: 'reviewState',
  /** Update: reserve a call's estimate against a tenant's budget (idempotent by key). */
  reserveBudgetUpdate: 'reserveBudget',
  /** Update: settle a call's real usage and release its reservation (idempotent by key). */
  settleBudgetUpdate: 'settleBudget',
  /** Update: set a tenant's budget limits. */
  setBudgetUpdate: 'setBudget',
  /** Query: a tenant's limits, usage and reservations. */
  budgetStateQuery: 'budgetState',
} as const;

/** Memo field naming the tenant that owns a run: set by the client that starts it, checked by whoever attaches. */
export const runOwnerMemoKey = 'sluiceTenant';

/**
 * Separator of a workflow id's parts. Identifiers (contracts/ids.ts) can never contain it, so
 * tenant `acme` + request `eu-42` and tenant `acme-eu` + request `42` get different ids.
 */
export const workflowIdSeparator = '~';

const idOf = (kind: string, tenant: string, businessId: string): string =>
  [kind, tenant, businessId].join(workflowIdSeparator);

/** Workflow ids carry the business id, so executions can be found and deduplicated. */
export const workflowIds = {
  answer: (tenant: string, requestId: string): string => idOf('answer', tenant, requestId),
  ingest: (tenant: string, ingestId: string): string => idOf('ingest', tenant, ingestId),
  /** One of the runs of an upload too large for one request (parts count from 1). */
  ingestPart: (tenant: string, ingestId: string, part: number): string =>
    `${idOf('ingest', tenant, ingestId)}${workflowIdSeparator}part-${part}`,
  deleteDocuments: (tenant: string, requestId: string): string => idOf('delete', tenant, requestId),
  generate: (tenant: string, requestId: string): string => idOf('generate', tenant, requestId),
  /** One rating of one answer run; rating it again starts a new run under a new feedback id. */
  feedback: (tenant: string, feedbackId: string): string => idOf('feedback', tenant, feedbackId),
  feedbackReport: (tenant: string, reportId: string): string => idOf('feedback-report', tenant, reportId),
  /** The tenant's budget ledger: one per tenant, for ever (it continues as new). */
  budget: (tenant: string): string => idOf('budget', tenant, 'ledger'),
};

/**
 * The kind and owning tenant of a workflow id made by `workflowIds`, or undefined for any other
 * id. Identifiers cannot hold the separator, so the tenant part is exact.
 */
export function parseWorkflowId(workflowId: string): { kind: string; tenant: string } | undefined {
  const [kind, tenant, businessId] = workflowId.split(workflowIdSeparator);
  return kind && tenant && businessId ? { kind, tenant } : undefined;
}
