import type { z } from 'zod';
import { formatZodError, issueFields } from '../../contracts/format-error';
import { parseWorkflowId } from '../../contracts/workflow-types';
import { CredentialFieldInBodyError, InvalidInputError, NotFoundError } from './errors';

// Parsing what a request carries, with the schemas of contracts/gateway.ts, before any client call.

/** `value` parsed by `schema`; an InvalidInputError names every field at fault and points at the first. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const field = first ? issueFields(first)[0] || undefined : undefined;
  throw new InvalidInputError(formatZodError(parsed.error), field);
}

/**
 * A body parsed by `schema`, after refusing fields the credential decides: a body that names a
 * tenant is refused outright rather than ignored, so a caller who believes it chooses one learns
 * that it does not.
 */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema, body: unknown, credentialFields: readonly string[] = ['tenant'],
): z.output<Schema> {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const named = credentialFields.find((field) => Object.hasOwn(body, field));
    if (named) throw new CredentialFieldInBodyError(named);
  }
  return parseInput(schema, body);
}

/** True when `workflowId` is the tenant's run of `kind` (`answer~acme~42` is tenant acme's answer run). */
export function isOwnWorkflowId(workflowId: string, kind: string, tenant: string): boolean {
  const parts = parseWorkflowId(workflowId);
  return parts !== undefined && parts.kind === kind && parts.tenant === tenant;
}

/**
 * Refuses, as not found, a workflow id that is not the tenant's run of `kind`: the tenant is
 * part of every id, so another tenant's ids are refused before any lookup and their existence
 * never shows.
 */
export function requireOwnWorkflowId(workflowId: string, kind: string, tenant: string): void {
  if (!isOwnWorkflowId(workflowId, kind, tenant)) throw new NotFoundError(`no run has the workflow id ${workflowId}`);
}
