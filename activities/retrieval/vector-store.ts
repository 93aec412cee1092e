import type { Chunk, ScoredChunk } from '../../contracts/retrieval';

/** A chunk with its dense vector, ready to store. */
export interface EmbeddedChunk extends Chunk {
  vector: number[];
}

export interface SearchQuery {
  /** Every search is confined to one tenant, inside the store query. */
  tenant: string;
  text: string;
  vector: number[];
  topK: number;
}

/** Where chunks live. Implementations: the embedded LanceDB store; Qdrant in production. */
export interface VectorStore {
  /** Inserts or replaces chunks by id; ids are deterministic, so repeating an upsert is harmless. */
  upsert(chunks: readonly EmbeddedChunk[]): Promise<void>;
  /** Removes a document's chunks whose ids are not in `keepIds` (old versions after a change). */
  deleteDocumentChunks(tenant: string, documentId: string, keepIds?: readonly string[]): Promise<number>;
  search(query: SearchQuery): Promise<ScoredChunk[]>;
  close(): Promise<void>;
}
