import { log } from '@temporalio/activity';
import { basename } from 'node:path';
import { errorTypes } from '../../contracts/error-types';
import type { DocumentOutcome, SourceFile } from '../../contracts/ingest';
import type { ScoredChunk } from '../../contracts/retrieval';
import { invalidInput, nonRetryable } from '../failures';
import { chunkText } from './chunk-text';
import type { Embedder } from './embedder';
import { chunkPointId } from './point-id';
import { listSourceFiles as listFiles, readSourceText, SourceNotFoundError } from './read-sources';
import type { VectorStore } from './vector-store';

export interface RetrievalDependencies {
  store: VectorStore;
  embedder: Embedder;
}

/** How many chunks are embedded in one call. */
const embedBatchSize = 64;

/** Retrieval and ingest activities, bound to a store and an embedder. */
export function createRetrievalActivities({ store, embedder }: RetrievalDependencies) {
  return {
    /** Lists the files an ingest will read. */
    async listSourceFiles(input: { path: string }): Promise<SourceFile[]> {
      try {
        return await listFiles(input.path);
      } catch (error) {
        if (error instanceof SourceNotFoundError) throw nonRetryable(errorTypes.sourceNotFound, error.message);
        throw error;
      }
    },

    /**
     * Reads, chunks, embeds and upserts one document. Idempotent: point ids are content
     * hashes, and chunks of an older version of the same document are removed afterwards.
     */
    async ingestDocument(input: { tenant: string; file: SourceFile }): Promise<DocumentOutcome> {
      const { tenant, file } = input;
      let read;
      try {
        read = await readSourceText(file);
      } catch (error) {
        if (error instanceof SourceNotFoundError) throw nonRetryable(errorTypes.sourceNotFound, error.message);
        throw error;
      }
      if (!read.ok) {
        log.info('document skipped', { documentId: file.documentId, reason: read.reason });
        return { documentId: file.documentId, status: 'skipped', chunks: 0, reason: read.reason };
      }
      const pieces = chunkText(read.text, basename(file.documentId).replace(/\.[^.]+$/, ''));
      const chunks = pieces.map((piece, chunkIndex) => ({
        id: chunkPointId(tenant, file.documentId, chunkIndex, piece.text),
        tenant, documentId: file.documentId, chunkIndex, title: piece.title, source: file.documentId, text: piece.text,
      }));
      for (let start = 0; start < chunks.length; start += embedBatchSize) {
        const batch = chunks.slice(start, start + embedBatchSize);
        const vectors = await embedder.embed(batch.map((chunk) => `${chunk.title}\n${chunk.text}`));
        await store.upsert(batch.map((chunk, index) => ({ ...chunk, vector: vectors[index]! })));
      }
      await store.deleteDocumentChunks(tenant, file.documentId, chunks.map((chunk) => chunk.id));
      return { documentId: file.documentId, status: 'ingested', chunks: chunks.length };
    },

    /** Hybrid search for the passages that best match a query, within one tenant. */
    async retrievePassages(input: { tenant: string; query: string; topK: number }): Promise<ScoredChunk[]> {
      if (!input.query.trim()) throw invalidInput('query: must not be empty');
      const [vector] = await embedder.embed([input.query]);
      return store.search({ tenant: input.tenant, text: input.query, vector: vector!, topK: input.topK });
    },
  };
}
