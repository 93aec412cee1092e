import { z } from 'zod';
import { ConfigError } from './config';
import { formatZodError } from './format-error';
import { identifierSchema } from './ids';

// Which folders on the orchestration worker each tenant may ingest from by path. Paths are read by
// the worker, so without this any tenant could ingest any file the worker can read.

/** Key that applies a root to every tenant. */
export const everyTenant = '*';

const absolutePathSchema = z.string().refine((value) => value.startsWith('/'), 'must be an absolute path');

/** `{ "<tenant>" | "*": ["/absolute/folder", …] }`, as SLUICE_INGEST_ROOTS holds it. */
export const ingestRootsSchema = z.record(
  z.union([z.literal(everyTenant), identifierSchema]),
  z.array(absolutePathSchema).max(100, 'at most 100 folders per tenant'),
);
export type IngestRoots = z.infer<typeof ingestRootsSchema>;

/** The variable that sets the roots on a worker. */
export const ingestRootsVariable = 'SLUICE_INGEST_ROOTS';

/**
 * The roots from SLUICE_INGEST_ROOTS (JSON), else `defaults`. A bad value is a ConfigError naming
 * the variable and the field.
 */
export function loadIngestRoots(environment: Record<string, string | undefined>, defaults: IngestRoots): IngestRoots {
  const raw = environment[ingestRootsVariable];
  if (raw === undefined || raw.trim() === '') return defaults;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      `invalid configuration: ${ingestRootsVariable}: not valid JSON (expected {"<tenant>" or "*": ["/folder", …]})`,
    );
  }
  const parsed = ingestRootsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${ingestRootsVariable}: ${formatZodError(parsed.error)}`);
  }
  return parsed.data;
}
