// What the server and the store record, read back by the fault and load tests: executions per
// workflow id from visibility, points per tenant from the embedded store; and how a client waits
// for a result across a server outage (and cleans up after a test that failed half way).
import * as lancedb from '@lancedb/lancedb';
import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';
import { join } from 'node:path';
import { literal, tenantTableName } from '../../activities/retrieval/lancedb-tables';
import { runPool, sleep, within, withDeadline } from './load-helpers';

/** A point as the embedded store holds it. */
export interface StoredPoint {
  id: string;
  documentId: string;
  chunkIndex: number;
}

/**
 * Every point of `tenant` in the embedded store under `dataDir`, read straight from its LanceDB
 * table: the store's API counts points but cannot list their ids. Call it when no process has the
 * store open.
 */
export async function storedPoints(dataDir: string, tenant: string): Promise<StoredPoint[]> {
  const connection = await lancedb.connect(join(dataDir, 'vectors'));
  try {
    const suffix = tenantTableName('', tenant);
    const names = (await connection.tableNames({ limit: 10_000 })).filter((name) => name.endsWith(suffix));
    if (names.length !== 1) throw new Error(`expected one table for tenant ${tenant}, found ${names.length}`);
    const table = await connection.openTable(names[0]!);
    try {
      const rows = (await table.query().where(`tenant = ${literal(tenant)}`)
        .select(['id', 'document_id', 'chunk_index']).toArray()) as Array<Record<string, unknown>>;
      return rows.map((row) => ({
        id: String(row.id), documentId: String(row.document_id), chunkIndex: Number(row.chunk_index),
      }));
    } finally {
      table.close();
    }
  } finally {
    connection.close();
  }
}

/** One execution as visibility lists it. */
export interface ListedExecution {
  workflowId: string;
  runId: string;
  status: string;
}

/** Every execution that `query` matches, from the server's visibility store. */
export async function listExecutions(client: Client, query: string): Promise<ListedExecution[]> {
  const executions: ListedExecution[] = [];
  for await (const execution of client.workflow.list({ query })) {
    executions.push({ workflowId: execution.workflowId, runId: execution.runId, status: execution.status.name });
  }
  return executions;
}

/** What visibility says about a set of workflow ids, once every one of them is listed and closed. */
export interface Reconciliation {
  executions: ListedExecution[];
  /** Ids with more than one execution, with how many. */
  duplicated: Array<[string, number]>;
  /** Expected ids visibility does not list. */
  missing: string[];
  /** Ids visibility lists that were not expected. */
  unexpected: string[];
  /** Executions still running. */
  running: ListedExecution[];
  /** The server's own counts for the query: all, and Running. */
  count: number;
  runningCount: number;
}

/**
 * Reads visibility for `query` (it is updated a little after each event) until every expected id
 * is listed and none is running, or `timeoutMs` passes; then returns what it lists, for the test
 * to assert on. Visibility is the server's record, not the client's: a run the client never saw
 * (a duplicate, a stuck one) shows up here.
 */
export async function reconcile(
  client: Client, query: string, expectedIds: readonly string[], timeoutMs: number,
): Promise<Reconciliation> {
  const expected = new Set(expectedIds);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const executions = await listExecutions(client, query);
    const perId = new Map<string, number>();
    for (const execution of executions) perId.set(execution.workflowId, (perId.get(execution.workflowId) ?? 0) + 1);
    const running = executions.filter((execution) => execution.status === 'RUNNING');
    const missing = expectedIds.filter((id) => !perId.has(id));
    if ((missing.length === 0 && running.length === 0) || Date.now() > deadline) {
      const count = Number((await client.workflow.count(query)).count);
      const runningCount = Number((await client.workflow.count(`(${query}) AND ExecutionStatus = 'Running'`)).count);
      return {
        executions,
        duplicated: [...perId].filter(([, runs]) => runs > 1),
        missing,
        unexpected: [...perId.keys()].filter((id) => !expected.has(id)),
        running,
        count,
        runningCount,
      };
    }
    await sleep(250);
  }
}

/**
 * gRPC status codes (fixed by the gRPC protocol) a client sees while the server is down or
 * restarting: attaching again is the right answer to each.
 */
const serverUnavailableCodes = new Map<number, string>([
  [1, 'CANCELLED'], [2, 'UNKNOWN'], [4, 'DEADLINE_EXCEEDED'], [8, 'RESOURCE_EXHAUSTED'], [10, 'ABORTED'],
  [13, 'INTERNAL'], [14, 'UNAVAILABLE'],
]);

/**
 * Whether an error from a client call means "the server could not be reached", so the caller
 * should attach again, rather than "the workflow failed" (WorkflowFailedError) or a bug.
 */
export function isRetryableClientError(error: unknown): boolean {
  const grpcError = error instanceof ServiceError ? error.cause : error;
  return isGrpcServiceError(grpcError) && serverUnavailableCodes.has(grpcError.code);
}

/** A run's result, and the retryable errors met on the way (each followed by attaching again). */
export interface OutageResult {
  result: unknown;
  retryableErrors: string[];
}

/**
 * Waits for a run's result as a careful client does across a server outage: a retryable error
 * (server unreachable) means attach again with getHandle(id).result(); anything else is thrown.
 * `firstWait` is the wait already begun (e.g. the handle's own result()). Never waits past `deadline`.
 */
export async function resultAcrossOutage(
  client: Client, workflowId: string, deadline: number, firstWait?: () => Promise<unknown>,
): Promise<OutageResult> {
  const retryableErrors: string[] = [];
  let wait = firstWait ?? (() => client.workflow.getHandle(workflowId).result());
  for (;;) {
    const remaining = deadline - Date.now();
    const last = retryableErrors.at(-1);
    const after = last ? ` (after ${retryableErrors.length} retryable errors, last: ${last})` : '';
    const what = `${workflowId}: result${after}`;
    if (remaining <= 0) throw new Error(`${what}: deadline passed`);
    try {
      return { result: await within(client.connection, remaining, what, wait), retryableErrors };
    } catch (error) {
      if (!isRetryableClientError(error)) throw error;
      retryableErrors.push(describeError(error));
      wait = () => client.workflow.getHandle(workflowId).result();
      await sleep(500);
    }
  }
}

/**
 * Cleans up after a test that failed half way, before its connection closes: terminates the runs
 * still open (when the server answers) so their result() waits return, then waits (bounded) for
 * `waits` to settle. A client call still retrying when its connection closes throws from the SDK's
 * retry timer ("Channel has been shut down") and takes the test process down.
 */
export async function settleOpenWaits(
  client: Client, workflowIds: readonly string[], waits: ReadonlyArray<Promise<unknown>>,
): Promise<void> {
  const pending = Symbol('pending');
  const now = await Promise.allSettled(waits.map((wait) => Promise.race([wait, Promise.resolve(pending)])));
  if (!now.some((outcome) => outcome.status === 'fulfilled' && outcome.value === pending)) return;
  const terminate = (workflowId: string) => within(client.connection, 5_000, `terminate ${workflowId}`, () =>
    client.workflow.getHandle(workflowId).terminate('the test ended before this run'));
  await runPool(workflowIds.length, 16, (index) => terminate(workflowIds[index]!).catch(() => undefined));
  await withDeadline(Promise.allSettled(waits), 30_000, 'open waits settle').catch(() => undefined);
}

/** A one-line description of an error for reports (class, gRPC code, message). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const grpcError = error instanceof ServiceError ? error.cause : error;
  const code = isGrpcServiceError(grpcError)
    ? ` (gRPC ${serverUnavailableCodes.get(grpcError.code) ?? grpcError.code})` : '';
  return `${error.name}${code}: ${error.message}`;
}
