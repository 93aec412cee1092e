import type { EmbeddedChunk, VectorStore } from './vector-store';
import type { Embedder } from './embedder';
import { chunkText, type ChunkOptions } from './chunk-text';
import type { ParsedDocument } from './parse-document';
import { ingestVersion } from './ingest-version';
import { pagesOfChunks, sourceOnPage } from './pdf-pages';
import { chunkPointId } from './point-id';

export interface IngestDependencies {
  store: VectorStore;
  embedder: Embedder;
  chunking?: ChunkOptions;
  /** Chunks per embedder call and per store upsert. @default 64 */
  embedBatchSize?: number;
  /** Version the chunks are written with; a later ingest must get a higher one. @default ingestVersion() */
  version?: number;
  /** Called after each batch, e.g. to heartbeat. */
  onBatch?: (chunksDone: number) => void;
}

export interface IngestedDocument {
  chunks: number;
  /** Chunks of an older version that were removed. */
  replacedChunks: number;
  /** A newer ingest of the same document finished first, so this one's chunks were dropped. */
  superseded?: boolean;
}

/**
 * Chunks, embeds and upserts one parsed document for a tenant. Idempotent: point ids hash
 * tenant, document, chunk index and content, so a retry rewrites the same points; chunks of an
 * older version are deleted only after the new version is stored, so a search never sees the
 * document missing. Concurrent re-ingests of one document are settled by version (the highest
 * wins, see VectorStore.settleDocument) rather than by deleting "every id but mine", which let
 * two ingests delete each other's chunks and leave the document empty.
 */
export async function ingestParsedDocument(
  dependencies: IngestDependencies,
  tenant: string,
  document: ParsedDocument,
): Promise<IngestedDocument> {
  const { store, embedder } = dependencies;
  const batchSize = dependencies.embedBatchSize ?? 64;
  const version = dependencies.version ?? ingestVersion();
  const pieces = chunkText(document.text, document.title, dependencies.chunking);
  const pages = document.pageStarts
    ? pagesOfChunks(document.text, document.pageStarts, pieces.map((piece) => piece.text)) : [];
  const chunks = pieces.map((piece, chunkIndex) => ({
    id: chunkPointId(tenant, document.documentId, chunkIndex, `${piece.title}\n${piece.text}`),
    tenant,
    documentId: document.documentId,
    chunkIndex,
    title: piece.title,
    source: sourceOnPage(document.source ?? document.documentId, pages[chunkIndex]),
    text: piece.text,
  }));
  for (let start = 0; start < chunks.length; start += batchSize) {
    const batch = chunks.slice(start, start + batchSize);
    const vectors = await embedder.embed(batch.map((chunk) => `${chunk.title}\n${chunk.text}`));
    const embedded: EmbeddedChunk[] = batch.map((chunk, index) => ({ ...chunk, vector: vectors[index]!, version }));
    await store.upsert(embedded);
    dependencies.onBatch?.(start + batch.length);
  }
  const settled = await store.settleDocument(tenant, document.documentId, version);
  return {
    chunks: chunks.length, replacedChunks: settled.removed, ...(settled.superseded ? { superseded: true } : {}),
  };
}
