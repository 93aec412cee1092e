import { log } from '@temporalio/activity';
import { errorTypes } from '../../contracts/error-types';
import type {
  DeleteDocumentsRequest,
  DeleteDocumentsResult,
  DocumentOutcome,
  InlineDocument,
  SourceFile,
  SourceFilePage,
} from '../../contracts/ingest';
import {
  optimizeStoreRequestSchema,
  retrieveContextRequestSchema,
  retrieveRequestSchema,
  type OptimizeStoreRequest,
  type PackedContext,
  type RetrieveContextRequest,
  type RetrieveRequest,
  type ScoredChunk,
} from '../../contracts/retrieval';
import { formatZodError } from '../../contracts/format-error';
import { warnFromActivity } from '../activity-log';
import { invalidInput, nonRetryable } from '../failures';
import { withHeartbeats } from '../heartbeat';
import type { Embedder } from './embedder';
import type { Reranker } from './reranker';
import { wantsRerank } from './rerank-policy';
import type { IngestDependencies } from './ingest-document';
import { ingestParsedSource } from './ingest-source';
import { defaultOffTopicSimilarity, offTopicEvidence } from './off-topic';
import { packContext, packOptionsFor } from './pack-context';
import { redactPassages, totalCounts } from './redact-passages';
import { parseSource } from './parse-document';
import {
  listSourceFiles as listFiles, readSourceText, SourceNotFoundError, UnreadableSourceError,
} from './read-sources';
import { SourceNotAllowedError, SourceRoots, toSourceFailure } from './source-roots';
import { withStoreFailures } from './store-errors';
import { InvalidSearchError, type VectorStore } from './vector-store';

export interface RetrievalDependencies {
  store: VectorStore;
  embedder: Embedder;
  /** Optional second stage; searches ask for it with `rerank: true` or `'uncertain'`. */
  reranker?: Reranker;
  /** Folders each tenant may ingest from by path; none when absent (inline documents only). */
  sourceRoots?: SourceRoots;
}

/** What the user asked, where the run may search with it (inside the trust boundary); else the query as sent. */
const askedQuery = (request: RetrieveRequest): string =>
  (request.unredactedQuery?.trim() ? request.unredactedQuery : request.query);

/** Logs through the activity logger when running as an activity; silent when called directly. */
function logSkip(documentId: string, reason: string): void {
  try {
    log.info('document skipped', { documentId, reason });
  } catch {
    // Not inside an activity.
  }
}

/** Retrieval and ingest activities, bound to a store and an embedder. */
export function createRetrievalActivities(
  { store: rawStore, embedder, reranker, sourceRoots = new SourceRoots({}) }: RetrievalDependencies,
) {
  // Store failures are classified here, at the activity boundary: an outage is retried with a
  // clean message, a refused request fails at once (store-errors.ts).
  const store = withStoreFailures(rawStore);
  const ingestDependencies: IngestDependencies = { store, embedder };

  // `withoutReranker`: what a search asking for a rerank does on a worker that has none.
  const search = async (
    raw: RetrieveRequest, withoutReranker: 'refuse' | 'skip' = 'refuse',
  ): Promise<ScoredChunk[]> => {
    const parsed = retrieveRequestSchema.safeParse(raw);
    if (!parsed.success) throw invalidInput(formatZodError(parsed.error));
    const request = parsed.data;
    if (!request.query.trim()) throw invalidInput('query: must not be empty');
    if (request.requireKnownTenant && !(await store.hasTenant(request.tenant))) {
      throw nonRetryable(errorTypes.unknownTenant, `tenant ${request.tenant} has no ingested documents`);
    }
    if (request.rerank && !reranker) {
      if (withoutReranker === 'refuse') {
        throw invalidInput(
          'rerank: this worker has no reranker (the local one is installed by npm install; or set SLUICE_RERANK_URL)',
        );
      }
      // `'uncertain'` (the routes' default) is a refinement the worker may not offer: no warning for it.
      if (request.rerank === true) {
        warnFromActivity('rerank: this worker has no reranker; searching without it', { tenant: request.tenant });
      }
    }
    const reranking = request.rerank ? reranker : undefined;
    const mode = request.mode ?? 'hybrid';
    // The user's own words stay inside the trust boundary: the store, and the embedder only when it is local.
    const asked = askedQuery(request);
    const embedded = embedder.inProcess ? asked : request.query;
    const vector = mode === 'lexical' ? undefined : (await embedder.embed([embedded]))[0];
    // The reranker sees a wider candidate pool than it returns, or it could only reorder.
    const candidates = reranking ? Math.min(100, request.topK * 4) : request.topK;
    let passages: ScoredChunk[];
    try {
      passages = await store.search({ tenant: request.tenant, text: asked, vector, topK: candidates, mode });
    } catch (error) {
      if (error instanceof InvalidSearchError) throw invalidInput(error.message);
      throw error;
    }
    if (!reranking || !wantsRerank(request.rerank, mode, passages)) return passages.slice(0, request.topK);
    return reranking.rerank(reranking.inProcess ? asked : request.query, passages, request.topK);
  };

  return {
    /** Lists the files an ingest will read. */
    async listSourceFiles(input: { tenant?: string; path: string }): Promise<SourceFile[]> {
      try {
        return await listFiles(await sourceRoots.resolve(input.tenant, input.path));
      } catch (error) {
        throw toSourceFailure(error);
      }
    },

    /**
     * One page of the files under an ingest path, in a stable order. Large folders are listed
     * page by page so no activity result outgrows Temporal's payload limit.
     */
    async listSourceFilesPage(
      input: { tenant?: string; path: string; offset: number; limit: number },
    ): Promise<SourceFilePage> {
      let files;
      try {
        files = await listFiles(await sourceRoots.resolve(input.tenant, input.path));
      } catch (error) {
        throw toSourceFailure(error);
      }
      return { files: files.slice(input.offset, input.offset + input.limit), totalFiles: files.length };
    },

    /**
     * Folds an ingest's writes into the store's indexes (a no-op for stores without the step): the
     * tenant's table when one is named, else every open one (what ingests started before the tenant was passed ask).
     */
    async optimizeStore(input?: OptimizeStoreRequest): Promise<void> {
      const parsed = optimizeStoreRequestSchema.safeParse(input ?? {});
      if (!parsed.success) throw invalidInput(formatZodError(parsed.error));
      await store.optimize?.(parsed.data.tenant);
    },

    /**
     * Reads, parses, chunks, embeds and upserts one file (a JSON-lines file: each record as a
     * document). Idempotent; a file that cannot be used comes back `skipped` with the reason,
     * so one bad file never fails the batch.
     */
    async ingestDocument(input: { tenant: string; file: SourceFile }): Promise<DocumentOutcome> {
      const { tenant, file } = input;
      let read;
      try {
        // Checked per file too: a batch's file list is workflow input, which any caller could craft.
        // Read at its real path; its format goes by the name it was listed under (a link's own name).
        read = await readSourceText({ ...file, path: await sourceRoots.resolve(tenant, file.path) }, file.path);
      } catch (error) {
        // One file that is outside the roots, gone since the listing or unreadable is skipped; the batch goes on.
        if (error instanceof SourceNotAllowedError || error instanceof SourceNotFoundError
          || error instanceof UnreadableSourceError) {
          logSkip(file.documentId, error.message);
          return { documentId: file.documentId, status: 'skipped', chunks: 0, reason: error.message };
        }
        throw toSourceFailure(error);
      }
      if (!read.ok) {
        logSkip(file.documentId, read.reason);
        return { documentId: file.documentId, status: 'skipped', chunks: 0, reason: read.reason };
      }
      const parsed = await parseSource({ documentId: file.documentId, text: read.text, format: read.format });
      return ingestParsedSource(ingestDependencies, tenant, file.documentId, parsed, read.format === 'jsonl');
    },

    /** Ingests a document the client sent inline (uploads, streaming updates); same path as files. */
    async ingestInlineDocument(input: { tenant: string; document: InlineDocument }): Promise<DocumentOutcome> {
      const { tenant, document } = input;
      if (document.text.includes('\u0000')) {
        return { documentId: document.documentId, status: 'skipped', chunks: 0, reason: 'binary content' };
      }
      const format = document.format ?? 'markdown';
      const { documentId, text, title } = document;
      const parsed = await parseSource({ documentId, text, format, ...(title ? { title } : {}) });
      return ingestParsedSource(ingestDependencies, tenant, document.documentId, parsed, format === 'jsonl');
    },

    /**
     * Removes documents with all their chunks; deleting one that is not there is not an error.
     * A JSON-lines file's id removes all of its records.
     */
    async deleteDocuments(
      input: Pick<DeleteDocumentsRequest, 'tenant' | 'documentIds'>,
    ): Promise<DeleteDocumentsResult> {
      const documents = [];
      for (const documentId of input.documentIds) {
        let deletedChunks = await store.deleteDocument(input.tenant, documentId);
        for (const record of await store.listDocuments(input.tenant, documentId)) {
          deletedChunks += await store.deleteDocument(input.tenant, record);
        }
        documents.push({ documentId, deletedChunks });
      }
      return { documents, deletedChunks: documents.reduce((sum, document) => sum + document.deletedChunks, 0) };
    },

    /** Search for the passages that best match a query, within one tenant (hybrid by default). */
    // Both heartbeat while they run: the answer schedules them with a short heartbeat timeout.
    retrievePassages: (input: RetrieveRequest): Promise<ScoredChunk[]> => withHeartbeats(() => search(input)),

    /**
     * Retrieval plus context packing: passages under a token budget, near-duplicates dropped, trimmed
     * by the route's context policy, and PII removed first when the route asks (so the budget counts
     * what the model will see).
     */
    async retrieveContext(input: RetrieveContextRequest): Promise<PackedContext> {
      const parsed = retrieveContextRequestSchema.safeParse(input);
      if (!parsed.success) throw invalidInput(formatZodError(parsed.error));
      const { tokenBudget, redactPii, context, ...request } = parsed.data;
      // A route's rerank is a preference: a worker without a reranker answers without it.
      const found = await withHeartbeats(() => search(request, 'skip'));
      const offTopic = offTopicEvidence(
        askedQuery(request), found, context?.offTopicSimilarity ?? defaultOffTopicSimilarity(embedder.id),
      );
      if (offTopic) {
        // No passage: the run answers no_context without a model call; the record says why.
        const droppedByPolicy = found.map((passage) => passage.id);
        return {
          passages: [], totalTokens: 0, droppedDuplicates: [], droppedOverBudget: [], droppedByPolicy, offTopic,
        };
      }
      const packOptions = packOptionsFor(tokenBudget, context, request.query);
      if (!redactPii) return packContext(found, packOptions);
      const { passages, countsById } = redactPassages(found, redactPii);
      const packed = packContext(passages, packOptions);
      // Counted over the passages kept, so the record matches what the model and citations carry.
      const redactedPii = totalCounts(packed.passages.map((passage) => passage.id), countsById);
      return redactedPii ? { ...packed, redactedPii } : packed;
    },
  };
}
