import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { sluiceSearchAttributes, type SearchAttributeType } from '../contracts/search-attributes';

// Sluice's search attributes exist on the dev server because its start flags register them; on any
// other cluster (self-hosted, Temporal Cloud) they must be registered once per namespace, or every
// workflow task that upserts them fails. Workers check at start-up; `sluice setup` registers them.

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const indexedValueTypes: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Sluice's search attributes in the form `AddSearchAttributes` takes. */
export function searchAttributeIndexTypes(): Record<string, temporal.api.enums.v1.IndexedValueType> {
  return Object.fromEntries(
    Object.values(sluiceSearchAttributes).map(({ name, type }) => [name, indexedValueTypes[type]]),
  );
}

/** A search attribute Sluice needs, as the namespace has it. */
export interface SearchAttributeStatus {
  name: string;
  type: SearchAttributeType;
  state: 'registered' | 'missing' | 'wrong-type';
}

/** Thrown when the namespace lacks search attributes Sluice's workflows set; the message names them. */
export class MissingSearchAttributesError extends Error {
  override readonly name = 'MissingSearchAttributesError';
}

/**
 * Compares a namespace's custom search attributes (`ListSearchAttributes`' `customAttributes`) with the ones
 * Sluice sets: what registering has to add, and what it cannot fix.
 */
export function planSearchAttributes(
  existing: Record<string, temporal.api.enums.v1.IndexedValueType | null | undefined>,
): SearchAttributeStatus[] {
  return Object.values(sluiceSearchAttributes).map(({ name, type }) => {
    const found = existing[name];
    if (found === undefined || found === null) return { name, type, state: 'missing' };
    return { name, type, state: found === indexedValueTypes[type] ? 'registered' : 'wrong-type' };
  });
}

/** Compares the namespace's custom search attributes with the ones Sluice sets. */
export async function checkSearchAttributes(
  connection: ConnectionLike, namespace: string,
): Promise<SearchAttributeStatus[]> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  return planSearchAttributes(listed.customAttributes ?? {});
}

/** Registers the missing ones; a wrong-typed one cannot be changed in place, so it is reported. */
export async function registerSearchAttributes(
  connection: ConnectionLike, namespace: string,
): Promise<SearchAttributeStatus[]> {
  const before = await checkSearchAttributes(connection, namespace);
  const missing = before.filter((attribute) => attribute.state === 'missing');
  if (missing.length) {
    const searchAttributes = Object.fromEntries(missing.map(({ name, type }) => [name, indexedValueTypes[type]]));
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  }
  return before.map((attribute) => (attribute.state === 'missing' ? { ...attribute, state: 'registered' } : attribute));
}

/** Fails with one message naming every missing or wrong-typed attribute and how to fix it. */
export async function requireSearchAttributes(connection: ConnectionLike, namespace: string): Promise<void> {
  const problems = (await checkSearchAttributes(connection, namespace))
    .filter((attribute) => attribute.state !== 'registered');
  if (!problems.length) return;
  const listed = problems.map(({ name, type, state }) =>
    `${name} (${type}${state === 'wrong-type' ? ', registered with another type' : ''})`);
  throw new MissingSearchAttributesError(
    `namespace ${namespace} lacks the search attributes ${listed.join(', ')}: run \`sluice setup\` ` +
      `(or \`temporal operator search-attribute create\`) once per namespace before starting workers`,
  );
}
