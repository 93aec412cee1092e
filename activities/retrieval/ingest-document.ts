import type { EmbeddedChunk, VectorStore } from './vector-store';
import type { Embedder } from './embedder';
import { chunkText, type ChunkOptions } from './chunk-text';
import type { ParsedDocument } from './parse-document';
import { chunkPointId } from './point-id';

export interface IngestDependencies {
  store: VectorStore;
  embedder: Embedder;
  chunking?: ChunkOptions;
  /** Chunks per embedder call and per store upsert. @default 64 */
  embedBatchSize?: number;
  /** Called after each batch, e.g. to heartbeat. */
  onBatch?: (chunksDone: number) => void;
}

export interface IngestedDocument {
  chunks: number;
  /** Chunks of an older version that were removed. */
  replacedChunks: number;
}

/**
 * Chunks, embeds and upserts one parsed document for a tenant. Idempotent: point ids hash
 * tenant, document, chunk index and content, so a retry rewrites the same points; chunks of an
 * older version are deleted only after the new version is stored, so a search never sees the
 * document missing.
 */
export async function ingestParsedDocument(dependencies: IngestDependencies, tenant: string, document: ParsedDocument): Promise<IngestedDocument> {
  const { store, embedder } = dependencies;
  const batchSize = dependencies.embedBatchSize ?? 64;
  const pieces = chunkText(document.text, document.title, dependencies.chunking);
  const chunks = pieces.map((piece, chunkIndex) => ({
    id: chunkPointId(tenant, document.documentId, chunkIndex, `${piece.title}\n${piece.text}`),
    tenant, documentId: document.documentId, chunkIndex, title: piece.title, source: document.source ?? document.documentId, text: piece.text,
  }));
  for (let start = 0; start < chunks.length; start += batchSize) {
    const batch = chunks.slice(start, start + batchSize);
    const vectors = await embedder.embed(batch.map((chunk) => `${chunk.title}\n${chunk.text}`));
    const embedded: EmbeddedChunk[] = batch.map((chunk, index) => ({ ...chunk, vector: vectors[index]! }));
    await store.upsert(embedded);
    dependencies.onBatch?.(start + batch.length);
  }
  const replacedChunks = await store.deleteDocument(tenant, document.documentId, chunks.map((chunk) => chunk.id));
  return { chunks: chunks.length, replacedChunks };
}
