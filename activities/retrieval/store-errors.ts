import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { errorTypes } from '../../contracts/error-types';
import { nonRetryable } from '../failures';
import { InvalidSearchError, type VectorStore } from './vector-store';

/** Thrown by a store adapter for a request the store can never accept (e.g. over its body limit). */
export class InvalidStoreRequestError extends Error {
  override readonly name = 'InvalidStoreRequestError';
}

/** How a failed store call should be retried: wait it out, fail at once, or leave it as it was. */
export type StoreErrorKind = 'unavailable' | 'invalid' | 'unknown';

// Socket and DNS errors of Node and undici: the store (or the path to it) is down, not the request bad.
const unreachableCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const unavailableNames = new Set([
  'QdrantClientTimeoutError', 'QdrantClientResourceExhaustedError', 'AbortError', 'TimeoutError',
]);

function statusOf(error: Error): number | undefined {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return status;
  // The Qdrant client's own wrapper keeps the status only in its message.
  const match = /Unexpected Response: (\d{3})/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/** Classifies an error a store call threw, following its `cause` chain (fetch wraps socket errors). */
export function classifyStoreError(error: unknown): StoreErrorKind {
  for (
    let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++
  ) {
    if (current instanceof InvalidStoreRequestError || current instanceof InvalidSearchError) return 'invalid';
    const status = statusOf(current);
    if (status !== undefined) {
      return status >= 500 || status === 408 || status === 429 ? 'unavailable' : status >= 400 ? 'invalid' : 'unknown';
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && unreachableCodes.has(code)) return 'unavailable';
    if (unavailableNames.has(current.name) || current.message === 'fetch failed') return 'unavailable';
  }
  return 'unknown';
}

// Addresses, URLs and host:port pairs are the worker's business, never the caller's.
const scrub = (text: string): string =>
  text.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').replace(/\b[\w.-]+:\d{2,5}\b/g, '<address>').slice(0, 300);

function logDetail(store: string, operation: string, kind: StoreErrorKind, error: unknown): void {
  try {
    log.warn('vector store call failed', {
      store, operation, kind, error: error instanceof Error ? error.message : String(error),
    });
  } catch {
    // Not inside an activity.
  }
}

/**
 * Turns what a store call threw into the failure an activity should end with: unavailable → a
 * retryable StoreUnavailable with a clean message (the detail, with the address, goes to the
 * worker's log), invalid → a non-retryable InvalidStoreRequest. Unknown errors pass unchanged.
 */
export function toStoreFailure(storeName: string, operation: string, error: unknown): unknown {
  // An InvalidSearchError stays itself: the search activity reports it as InvalidInput.
  if (error instanceof ApplicationFailure || error instanceof InvalidSearchError) return error;
  const kind = classifyStoreError(error);
  if (kind === 'unknown') return error;
  logDetail(storeName, operation, kind, error);
  if (kind === 'unavailable') {
    return ApplicationFailure.create({
      type: errorTypes.storeUnavailable, message: `vector store (${storeName}) is unavailable; retrying`,
    });
  }
  const message = error instanceof InvalidStoreRequestError ? error.message : 'the request was rejected';
  return nonRetryable(errorTypes.invalidStoreRequest, `vector store (${storeName}): ${scrub(message)}`);
}

/** The same store, with every call's failure classified by `toStoreFailure` (the activity boundary). */
export function withStoreFailures(store: VectorStore): VectorStore {
  const guard = <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw toStoreFailure(store.name, operation, error);
      }
    };
  return {
    name: store.name,
    upsert: guard('upsert', store.upsert.bind(store)),
    search: guard('search', store.search.bind(store)),
    deleteDocument: guard('deleteDocument', store.deleteDocument.bind(store)),
    settleDocument: guard('settleDocument', store.settleDocument.bind(store)),
    listDocuments: guard('listDocuments', store.listDocuments.bind(store)),
    hasTenant: guard('hasTenant', store.hasTenant.bind(store)),
    count: guard('count', store.count.bind(store)),
    ...(store.optimize ? { optimize: guard('optimize', (tenant?: string) => store.optimize!(tenant)) } : {}),
    close: () => store.close(),
  };
}
