import { toCliType } from './dev-server';
import type { SearchAttributeStatus } from './search-attribute-registration';

// What `npm run temporal:search-attributes` prints: pure, so the plan and its wording are unit-tested.

/**
 * One line per attribute: what the namespace had and what the script did about it; `after` is the namespace's
 * state read back after registering, absent on a dry run (which says what it would do).
 */
export function describeChange(before: SearchAttributeStatus, after?: SearchAttributeStatus): string {
  const label = `${before.name} (${toCliType(before.type)})`;
  if (before.state === 'registered') return `${label}: already registered`;
  if (before.state === 'wrong-type') {
    return `${label}: exists with another type; a type cannot be changed in place (remove it or use another namespace)`;
  }
  if (!after) return `${label}: will be added`;
  // Elasticsearch visibility applies a mapping change asynchronously; SQL visibility at once.
  return after.state === 'registered' ? `${label}: added` : `${label}: added, but not listed yet (run again to check)`;
}

/** The last line: counts, so a second run visibly does nothing. */
export function summarise(namespace: string, plan: readonly SearchAttributeStatus[], dryRun: boolean): string {
  const count = (state: SearchAttributeStatus['state']): number =>
    plan.filter((attribute) => attribute.state === state).length;
  const added = `${dryRun ? 'would add' : 'added'} ${count('missing')}`;
  const rest = `already registered ${count('registered')}, conflicting ${count('wrong-type')}`;
  return `namespace ${namespace}: ${added}, ${rest}`;
}

/**
 * Temporal Cloud manages a namespace's custom search attributes through tcld (or the Cloud UI / Ops API), not
 * the operator service's `AddSearchAttributes`; when the server refuses that call, this is the command for the
 * missing ones.
 */
export function tcldCommand(namespace: string, plan: readonly SearchAttributeStatus[]): string {
  const flags = plan.filter((attribute) => attribute.state === 'missing')
    .map(({ name, type }) => `--search-attribute '${name}=${toCliType(type)}'`);
  return [`tcld namespace search-attributes add --namespace '${namespace}'`, ...flags].join(' \\\n    ');
}
