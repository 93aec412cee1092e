import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { errorTypes } from '../../contracts/error-types';
import { everyTenant, ingestRootsVariable, type IngestRoots } from '../../contracts/ingest-roots';
import { nonRetryable } from '../failures';
import { SourceNotFoundError, UnreadableSourceError } from './read-sources';

/** Thrown when an ingest path lies outside every folder the tenant may read. */
export class SourceNotAllowedError extends Error {
  override readonly name = 'SourceNotAllowed';
}

/**
 * Checks ingest paths against the folders each tenant may read on this worker. Both sides are
 * resolved to real paths first, so neither `..` nor a symlink leads out of an allowed folder.
 */
export class SourceRoots {
  constructor(private readonly roots: IngestRoots) {}

  /** The real path of `path` when the tenant may read it; else SourceNotAllowedError (or SourceNotFoundError). */
  async resolve(tenant: string | undefined, path: string): Promise<string> {
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw new SourceNotFoundError(`${path} does not exist or cannot be read`);
    }
    for (const root of await this.realRoots(tenant)) {
      if (real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) return real;
    }
    throw new SourceNotAllowedError(
      `${path} is outside the folders tenant ${tenant ?? '(none)'} may ingest from ` +
        `(${ingestRootsVariable} on the worker); ` +
        'send the documents\' content instead (`sluice ingest --upload`)',
    );
  }

  private async realRoots(tenant: string | undefined): Promise<string[]> {
    const configured = [...(tenant ? (this.roots[tenant] ?? []) : []), ...(this.roots[everyTenant] ?? [])];
    const resolved = await Promise.all(configured.map((root) => realpath(root).catch(() => undefined)));
    return resolved.filter((root): root is string => root !== undefined);
  }
}

/** The typed, non-retryable failure for a path error at the activity boundary (other errors pass through). */
export function toSourceFailure(error: unknown): unknown {
  if (error instanceof SourceNotFoundError) return nonRetryable(errorTypes.sourceNotFound, error.message);
  if (error instanceof SourceNotAllowedError) return nonRetryable(errorTypes.sourceNotAllowed, error.message);
  if (error instanceof UnreadableSourceError) return nonRetryable(errorTypes.unreadableSource, error.message);
  return error;
}
