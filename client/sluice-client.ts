import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { answerRequestSchema, type AnswerRequestInput, type AnswerResult } from '../contracts/answer';
import type { FeedbackRecord, FeedbackReport } from '../contracts/feedback';
import type { ReviewDecision, ReviewOutcome, ReviewView } from '../contracts/review';
import { loadConfig, type SluiceConfig } from '../contracts/config';
import {
  deleteDocumentsRequestSchema, deleteDocumentsResultSchema, ingestProgressSchema, ingestRequestSchema,
  ingestResultSchema,
  type DeleteDocumentsResult, type InlineDocument, type IngestProgress, type IngestRequest, type IngestResult,
} from '../contracts/ingest';
import { taskQueues } from '../contracts/task-queues';
import { messageNames, runOwnerMemoKey, workflowIds, workflowTypes } from '../contracts/workflow-types';
import { TemporalUnavailableError } from './errors';
import { registerSearchAttributes, type SearchAttributeStatus } from '../temporal-config/search-attribute-registration';
import {
  decideReview, firstOutcome, listPendingReviews, showReview, signalReview, waitForAnswer, type PendingReview,
} from './review-client';
import { feedbackReport, recordFeedback, type FeedbackReportInput, type RecordFeedbackInput } from './feedback-client';
import { setBudget, showBudget } from './budget-client';
import type { BudgetLimitsInput, BudgetView } from '../contracts/budget';
import { combineIngestRuns, readLocalDocuments } from './upload-documents';
import { parseOrThrow, startOnce, type StartedRun } from './start-once';
import { toWorkflowRunError } from './workflow-failure';
import { connectionOptions } from './temporal-connection-options';
import { startTracing, tracingPlugins } from './tracing/tracing';
import { codecDataConverter, loadPayloadCodec } from './codec/load-codec';
import { answerRunState, ingestRunState, type AnswerRunState, type IngestRunState } from './run-status';
import { answerStream, type AnswerStreamOptions } from './answer-stream';
import type { AnswerStreamEvent } from '../contracts/stream';

/** Where to find an answer's execution. */
export interface AnswerRunRef {
  workflowId: string;
  runId: string;
  /** Link to the execution in the Temporal Web UI. */
  uiUrl: string;
}

/** An answer with where to find its execution. */
export interface AskOutcome extends AnswerRunRef {
  result: AnswerResult;
}

/** A submitted question: answered, or waiting for a reviewer (decide it, then `waitForAnswer`). */
export type Submission = AnswerRunRef & ({ result: AnswerResult } | { pendingReview: ReviewView });

/** A started ingest: poll `progress()` for a progress bar, await `result()` for the report. */
export interface IngestRun {
  workflowId: string;
  uiUrl: string;
  progress(): Promise<IngestProgress>;
  result(): Promise<IngestResult>;
}

export type AskInput = Omit<AnswerRequestInput, 'requestId'> & { requestId?: string };
export interface IngestInput {
  tenant: string;
  /** Folder or file; relative paths resolve against the caller's working directory. */
  path?: string;
  /** Documents sent inline (e.g. one changed document at a time); same pipeline as files. */
  documents?: InlineDocument[];
  ingestId?: string;
  /** How a path reaches the worker. @default 'path' */
  transfer?: 'path' | 'upload';
}

/** How SluiceClient encodes payloads. */
export interface SluiceClientOptions {
  /**
   * The payload codec, the same as the workers'. @default the codec from SLUICE_CODEC_KEYS or
   * SLUICE_CODEC_KEY_FILE, else `<dataDir>/codec-keys.json` (made on first use; one machine only),
   * or none with SLUICE_CODEC=off
   */
  dataConverter?: DataConverter;
  /**
   * Whether, with no key configured, the codec may use `<dataDir>/codec-keys.json`. Services that run
   * beside production workers (an HTTP gateway) pass false, so a missing SLUICE_CODEC_KEYS stops them
   * instead of encrypting with a key no worker holds. @default true (the CLI beside `npm start`)
   */
  allowKeyFile?: boolean;
}

export interface DeleteDocumentsInput {
  tenant: string;
  documentIds: string[];
  /** Business id; repeating a delete with the same id returns the first result. */
  requestId?: string;
}



/** The payload converter of a client: the one given, else the codec the configuration names. */
function clientDataConverter(config: SluiceConfig, options: SluiceClientOptions): DataConverter {
  return options.dataConverter ?? codecDataConverter(
    loadPayloadCodec(process.env, resolve(config.dataDir), { allowKeyFile: options.allowKeyFile ?? true }),
  );
}

/** The typed library application services use to run Sluice pipelines. */
export class SluiceClient {
  private constructor(
    private readonly client: Client,
    private readonly connection: ConnectionLike,
    readonly config: SluiceConfig,
    private readonly shared: { ownsConnection: boolean; eagerStart: boolean },
  ) {}

  /** Connects to Temporal; fails with a TemporalUnavailableError that says what to do. */
  static async connect(
    overrides: Partial<SluiceConfig> = {}, options: SluiceClientOptions = {},
  ): Promise<SluiceClient> {
    const config = { ...loadConfig(process.env), ...overrides };
    // Read before connecting: a bad key is a one-line ConfigError, not a run whose workers cannot read its input.
    const dataConverter = clientDataConverter(config, options);
    // Bad TLS files or settings are a one-line ConfigError, before any connection attempt.
    const temporalConnection = connectionOptions(config);
    let connection: Connection;
    try {
      connection = await Connection.connect({ ...temporalConnection, connectTimeout: '3 seconds' });
      await connection.workflowService.getSystemInfo({});
    } catch {
      throw new TemporalUnavailableError(
        `cannot reach the Temporal server at ${config.temporalAddress}: ` +
        `start it with \`npm start\` (or set SLUICE_TEMPORAL_ADDRESS)`,
      );
    }
    return SluiceClient.over(connection, config, dataConverter, { ownsConnection: true, eagerStart: false });
  }

  /**
   * A client over the connection this process's workers poll on (their NativeConnection), for a
   * service that runs beside them (`npm start`'s gateway, the demo). Answers then start eagerly: the
   * server hands an answer's first workflow task back in the start reply, to the local worker, instead
   * of through the task queue (bench:pipeline, p50 104 → 95 ms); with no free local slot it starts
   * as usual. The connection stays its owner's: `close` leaves it open.
   */
  static onWorkerConnection(
    connection: ConnectionLike, overrides: Partial<SluiceConfig> = {}, options: SluiceClientOptions = {},
  ): SluiceClient {
    const config = { ...loadConfig(process.env), ...overrides };
    const dataConverter = clientDataConverter(config, options);
    return SluiceClient.over(connection, config, dataConverter, { ownsConnection: false, eagerStart: true });
  }

  private static over(
    connection: ConnectionLike, config: SluiceConfig, dataConverter: DataConverter,
    shared: { ownsConnection: boolean; eagerStart: boolean },
  ): SluiceClient {
    const plugins = tracingPlugins(startTracing('client'));
    const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter, plugins });
    return new SluiceClient(client, connection, config, shared);
  }

  /** Link to an execution in the Temporal Web UI. */
  executionUrl(workflowId: string, runId?: string): string {
    const base = `${this.config.temporalUiUrl}/namespaces/${encodeURIComponent(this.config.temporalNamespace)}` +
      `/workflows/${encodeURIComponent(workflowId)}`;
    return runId ? `${base}/${encodeURIComponent(runId)}` : base;
  }

  /**
   * Runs the answer pipeline and waits for its result, through a review if the run needs one.
   * Asking again with the same requestId returns the first execution's result instead of
   * running it twice.
   */
  async ask(input: AskInput): Promise<AskOutcome> {
    const submitted = await this.submit(input);
    if ('result' in submitted) return submitted;
    const { pendingReview: _pending, ...ref } = submitted;
    return { ...ref, result: await waitForAnswer(this.client, ref.workflowId) };
  }

  /** Runs the answer pipeline until it answers or waits for a reviewer, whichever comes first. */
  async submit(input: AskInput): Promise<Submission> {
    const { workflowId, handle, runId } = await this.startAnswerRun(input);
    try {
      const outcome = await firstOutcome(handle, this.connection);
      return { workflowId, runId, uiUrl: this.executionUrl(workflowId, runId), ...outcome };
    } catch (error) {
      throw toWorkflowRunError(error, workflowId);
    }
  }

  /**
   * Runs the answer pipeline and streams its gated text as the model generates it, then its result
   * (client/answer-stream.ts). Leaving the loop or aborting `options.signal` stops reading; the run goes on.
   */
  askStream(input: AskInput, options: AnswerStreamOptions = {}): AsyncIterable<AnswerStreamEvent> {
    const start = async () => (await this.startAnswerRun(input)).handle;
    return answerStream({ client: this.client, connection: this.connection, start }, options);
  }

  /** Starts the answer pipeline (or finds the run of the same request id) without waiting for it. */
  async startAnswer(input: AskInput): Promise<Omit<AnswerRunRef, 'uiUrl'>> {
    const { workflowId, runId } = await this.startAnswerRun(input);
    return { workflowId, runId };
  }

  /** Validates the request and starts its answer run, or attaches to the run of the same request id. */
  private async startAnswerRun(input: AskInput): Promise<StartedRun & { workflowId: string }> {
    const request = parseOrThrow(answerRequestSchema, { ...input, requestId: input.requestId ?? randomUUID() });
    const workflowId = workflowIds.answer(request.tenant, request.requestId);
    const started = await startOnce(this.client, {
      workflowType: workflowTypes.answer, workflowId, tenant: request.tenant, request, idName: 'request id',
      staticSummary: `answer for ${request.tenant}/${request.feature}`, eagerStart: this.shared.eagerStart,
    });
    return { workflowId, ...started };
  }

  /** Where the tenant's answer run is, without waiting; another tenant's run is an UnknownRunError. */
  answerStatus(workflowId: string, tenant: string): Promise<AnswerRunState> {
    return answerRunState(this.client, workflowId, tenant);
  }

  /** Where the tenant's ingest run is, without waiting; another tenant's run is an UnknownRunError. */
  ingestStatus(workflowId: string, tenant: string): Promise<IngestRunState> {
    return ingestRunState(this.client, workflowId, tenant);
  }

  /** Resolves when the Temporal server answers within `timeoutMs`; throws TemporalUnavailableError otherwise. */
  async ping(timeoutMs = 2_000): Promise<void> {
    try {
      const deadline = Date.now() + timeoutMs;
      await this.connection.withDeadline(deadline, () => this.connection.workflowService.getSystemInfo({}));
    } catch {
      throw new TemporalUnavailableError(`the Temporal server at ${this.config.temporalAddress} does not answer`);
    }
  }

  /** Runs waiting for review, oldest first; the same filter as `pendingReviewQuery` shows in the UI. */
  listReviews(filter: { tenant?: string; group?: string; limit?: number } = {}): Promise<PendingReview[]> {
    return listPendingReviews(this.client, filter);
  }

  /** What a reviewer needs to decide a run. */
  showReview(workflowId: string): Promise<ReviewView> {
    return showReview(this.client, workflowId);
  }

  /** Decides a run waiting for review (approve, reject with a reason, or edit); refusals say why. */
  decideReview(workflowId: string, decision: ReviewDecision): Promise<ReviewOutcome> {
    return decideReview(this.client, workflowId, decision);
  }

  /** The same decision as a signal, for callers that cannot wait for an answer. */
  signalReview(workflowId: string, decision: ReviewDecision): Promise<void> {
    return signalReview(this.client, workflowId, decision);
  }

  /**
   * Stores a user's rating of a finished answer run, linked to its prompt version, variant,
   * model and route. A user's later rating of the same run replaces the earlier one.
   */
  recordFeedback(input: RecordFeedbackInput): Promise<FeedbackRecord> {
    return recordFeedback(this.client, input);
  }

  /** The tenant's ratings aggregated by prompt version and variant. */
  feedbackReport(input: FeedbackReportInput): Promise<FeedbackReport> {
    return feedbackReport(this.client, input);
  }

  /** A tenant's budget: limits, usage in each scope's current period, open reservations. */
  showBudget(tenant: string): Promise<BudgetView> {
    return showBudget(this.client, tenant);
  }

  /**
   * Sets a tenant's budget limits (merged into the current ones unless `mode` is `replace`); a
   * limit that does not parse is an InvalidRequestError naming the field.
   */
  setBudget(tenant: string, limits: BudgetLimitsInput, mode: 'merge' | 'replace' = 'merge'): Promise<BudgetView> {
    return setBudget(this.client, tenant, limits, mode);
  }

  /** Waits for an answer run's final result. */
  waitForAnswer(workflowId: string): Promise<AnswerResult> {
    return waitForAnswer(this.client, workflowId);
  }

  /**
   * Starts ingesting a folder (or file) into the tenant's store. `transfer: 'path'` has the
   * worker read the path (it must lie in a folder the worker lets the tenant read); `'upload'`
   * reads the files here and sends their text, for workers on other hosts.
   */
  async startIngest(input: IngestInput): Promise<IngestRun> {
    const { transfer, ...fields } = input;
    const ingestId = input.ingestId ?? randomUUID();
    const path = input.path === undefined ? undefined : resolve(input.path);
    if (transfer === 'upload' && path !== undefined) return this.startUpload({ ...fields, path, ingestId });
    const request = parseOrThrow(ingestRequestSchema, { ...fields, path, ingestId });
    return this.startIngestWorkflow(request, workflowIds.ingest(request.tenant, request.ingestId));
  }

  /** Uploads a local folder's documents, in as many ingest runs as the payload limit needs. */
  private async startUpload(
    input: Omit<IngestInput, 'transfer'> & { path: string; ingestId: string },
  ): Promise<IngestRun> {
    const local = await readLocalDocuments(input.path);
    const runs: IngestRun[] = [];
    for (const [index, documents] of local.batches.entries()) {
      // Documents given inline beside the path travel with the first request.
      const extra = index === 0 ? (input.documents ?? []) : [];
      const documentsToSend = [...documents, ...extra];
      const request = parseOrThrow(ingestRequestSchema, {
        tenant: input.tenant, ingestId: input.ingestId, documents: documentsToSend,
      });
      const workflowId = local.batches.length > 1
        ? workflowIds.ingestPart(request.tenant, request.ingestId, index + 1)
        : workflowIds.ingest(request.tenant, request.ingestId);
      runs.push(await this.startIngestWorkflow(request, workflowId));
    }
    return combineIngestRuns(runs, local.skipped);
  }

  private async startIngestWorkflow(request: IngestRequest, workflowId: string): Promise<IngestRun> {
    const handle = await this.client.workflow.start(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration,
      workflowId,
      args: [request],
      // The owner travels with the run, so a status read by workflow id can check it.
      memo: { [runOwnerMemoKey]: request.tenant },
      staticSummary:
        `ingest ${request.path ?? `${request.documents?.length ?? 0} inline document(s)`} for ${request.tenant}`,
    });
    return {
      workflowId,
      uiUrl: this.executionUrl(workflowId, handle.firstExecutionRunId),
      progress: async () => ingestProgressSchema.parse(await handle.query(messageNames.ingestProgressQuery)),
      result: async () => {
        try {
          return ingestResultSchema.parse(await handle.result());
        } catch (error) {
          throw toWorkflowRunError(error, workflowId);
        }
      },
    };
  }

  /** Removes documents (all their chunks) from the tenant's store and waits for the result. */
  async deleteDocuments(input: DeleteDocumentsInput): Promise<DeleteDocumentsResult> {
    const request = parseOrThrow(deleteDocumentsRequestSchema, {
      ...input, requestId: input.requestId ?? randomUUID(),
    });
    const workflowId = workflowIds.deleteDocuments(request.tenant, request.requestId);
    const { handle } = await startOnce(this.client, {
      workflowType: workflowTypes.deleteDocuments, workflowId, tenant: request.tenant, request, idName: 'request id',
      staticSummary: `delete ${request.documentIds.length} document(s) of ${request.tenant}`,
    });
    try {
      return deleteDocumentsResultSchema.parse(await handle.result());
    } catch (error) {
      throw toWorkflowRunError(error, workflowId);
    }
  }

  /** Registers Sluice's search attributes in the namespace (once per cluster; the dev server needs none). */
  async setupSearchAttributes(): Promise<SearchAttributeStatus[]> {
    return registerSearchAttributes(this.connection, this.config.temporalNamespace);
  }

  /** Closes the client's own connection; a worker's connection it was given stays open. */
  async close(): Promise<void> {
    if (this.shared.ownsConnection) await this.connection.close();
  }
}
