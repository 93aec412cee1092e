import { createHash } from 'node:crypto';

/**
 * Deterministic point id from tenant, document, chunk index and content: a retried or
 * repeated ingest writes the same ids, so it never duplicates a chunk. Formatted as a UUID
 * because Qdrant accepts only UUIDs or integers as point ids.
 */
export function chunkPointId(tenant: string, documentId: string, chunkIndex: number, text: string): string {
  const hex = createHash('sha256').update(JSON.stringify([tenant, documentId, chunkIndex, text])).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
