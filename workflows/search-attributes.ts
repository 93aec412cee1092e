import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';
import { sluiceSearchAttributes, type WorkflowStatus } from '../contracts/search-attributes';

const keys = {
  tenant: defineSearchAttributeKey(sluiceSearchAttributes.tenant.name, SearchAttributeType.KEYWORD),
  feature: defineSearchAttributeKey(sluiceSearchAttributes.feature.name, SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey(sluiceSearchAttributes.status.name, SearchAttributeType.KEYWORD),
  model: defineSearchAttributeKey(sluiceSearchAttributes.model.name, SearchAttributeType.KEYWORD),
  costMicroUsd: defineSearchAttributeKey(sluiceSearchAttributes.costMicroUsd.name, SearchAttributeType.INT),
};

/** Sets the search attributes a person filters by in the Temporal UI. */
export function markExecution(fields: { tenant?: string; feature?: string; status?: WorkflowStatus; model?: string; costMicroUsd?: number }): void {
  const pairs = [
    fields.tenant !== undefined ? { key: keys.tenant, value: fields.tenant } : undefined,
    fields.feature !== undefined ? { key: keys.feature, value: fields.feature } : undefined,
    fields.status !== undefined ? { key: keys.status, value: fields.status } : undefined,
    fields.model !== undefined ? { key: keys.model, value: fields.model } : undefined,
    fields.costMicroUsd !== undefined ? { key: keys.costMicroUsd, value: fields.costMicroUsd } : undefined,
  ].filter((pair) => pair !== undefined);
  upsertSearchAttributes(pairs);
}
