import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';
import { sluiceSearchAttributes, type WorkflowStatus } from '../contracts/search-attributes';

const keys = {
  tenant: defineSearchAttributeKey(sluiceSearchAttributes.tenant.name, SearchAttributeType.KEYWORD),
  feature: defineSearchAttributeKey(sluiceSearchAttributes.feature.name, SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey(sluiceSearchAttributes.status.name, SearchAttributeType.KEYWORD),
  model: defineSearchAttributeKey(sluiceSearchAttributes.model.name, SearchAttributeType.KEYWORD),
  costMicroUsd: defineSearchAttributeKey(sluiceSearchAttributes.costMicroUsd.name, SearchAttributeType.INT),
  reviewGroup: defineSearchAttributeKey(sluiceSearchAttributes.reviewGroup.name, SearchAttributeType.KEYWORD),
  promptVersion: defineSearchAttributeKey(sluiceSearchAttributes.promptVersion.name, SearchAttributeType.KEYWORD),
  variant: defineSearchAttributeKey(sluiceSearchAttributes.variant.name, SearchAttributeType.KEYWORD),
  cacheHit: defineSearchAttributeKey(sluiceSearchAttributes.cacheHit.name, SearchAttributeType.KEYWORD),
};

/** The fields a workflow may set; each maps to one search attribute. */
export interface ExecutionMarks {
  tenant?: string;
  feature?: string;
  status?: WorkflowStatus;
  model?: string;
  costMicroUsd?: number;
  reviewGroup?: string;
  promptVersion?: string;
  variant?: string;
  cacheHit?: 'exact' | 'semantic' | 'miss';
}

/** Sets the search attributes a person filters by in the Temporal UI. */
export function markExecution(fields: ExecutionMarks): void {
  const pairs = [
    fields.tenant !== undefined ? { key: keys.tenant, value: fields.tenant } : undefined,
    fields.feature !== undefined ? { key: keys.feature, value: fields.feature } : undefined,
    fields.status !== undefined ? { key: keys.status, value: fields.status } : undefined,
    fields.model !== undefined ? { key: keys.model, value: fields.model } : undefined,
    fields.costMicroUsd !== undefined ? { key: keys.costMicroUsd, value: fields.costMicroUsd } : undefined,
    fields.reviewGroup !== undefined ? { key: keys.reviewGroup, value: fields.reviewGroup } : undefined,
    fields.promptVersion !== undefined ? { key: keys.promptVersion, value: fields.promptVersion } : undefined,
    fields.variant !== undefined ? { key: keys.variant, value: fields.variant } : undefined,
    fields.cacheHit !== undefined ? { key: keys.cacheHit, value: fields.cacheHit } : undefined,
  ].filter((pair) => pair !== undefined);
  upsertSearchAttributes(pairs);
}
