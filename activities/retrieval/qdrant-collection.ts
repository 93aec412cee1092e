import type { QdrantClient } from '@qdrant/js-client-rest';

/** Names of the two vectors each point carries. */
export const denseName = 'dense';
export const lexicalName = 'lexical';

/** Thrown on open when an existing collection cannot hold Sluice's points. */
export class CollectionMismatchError extends Error {
  override readonly name = 'CollectionMismatchError';
}

/** Payload indexes the adapter's filters rely on; `tenant` is the tenant key Qdrant co-locates by. */
const payloadIndexes = [
  { field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true } },
  { field_name: 'document_id', field_schema: 'keyword' },
  { field_name: 'source', field_schema: 'keyword' },
  { field_name: 'version', field_schema: 'integer' },
] as const;

interface CollectionShape {
  vectors: unknown;
  sparseVectors: unknown;
  indexed: Set<string>;
}

async function shapeOf(client: QdrantClient, collection: string): Promise<CollectionShape> {
  const info = await client.getCollection(collection);
  return {
    vectors: info.config.params.vectors,
    sparseVectors: info.config.params.sparse_vectors,
    indexed: new Set(Object.keys(info.payload_schema ?? {})),
  };
}

/** Refuses a collection without the named dense vector of `dimensions` (cosine) or the sparse one. */
function verifyShape(collection: string, dimensions: number, shape: CollectionShape): void {
  type VectorParams = { size?: unknown; distance?: unknown };
  const vectors = (shape.vectors ?? {}) as Record<string, unknown>;
  const named = vectors as Record<string, VectorParams | undefined>;
  const dense = typeof vectors.size === 'number' ? undefined : named[denseName];
  const sparse = (shape.sparseVectors ?? {}) as Record<string, unknown>;
  if (dense?.size === dimensions && dense.distance === 'Cosine' && lexicalName in sparse) return;
  const found = typeof vectors.size === 'number'
    ? `one unnamed vector of size ${String(vectors.size)}`
    : Object.entries(named)
      .map(([name, vector]) => `"${name}" size ${String(vector?.size)} ${String(vector?.distance)}`)
      .join(', ') || 'no dense vectors';
  const foundSparse = Object.keys(sparse).map((name) => `"${name}"`).join(', ') || 'none';
  throw new CollectionMismatchError(
    `Qdrant collection "${collection}" does not fit this worker: ` +
    `expected dense vector "${denseName}" of size ${dimensions} (Cosine) and sparse vector "${lexicalName}"; ` +
    `found ${found}, sparse vectors ${foundSparse}. Use another collection ` +
    '(SLUICE_QDRANT_COLLECTION) or drop this one so it is created afresh.',
  );
}

/**
 * Creates the collection when missing; otherwise checks that it fits (a wrong dimension would
 * only fail later, on every upsert); then creates whichever payload index is missing.
 */
export async function prepareCollection(client: QdrantClient, collection: string, dimensions: number): Promise<void> {
  const { exists } = await client.collectionExists(collection);
  if (!exists) {
    try {
      await client.createCollection(collection, {
        vectors: { [denseName]: { size: dimensions, distance: 'Cosine' } },
        sparse_vectors: { [lexicalName]: { modifier: 'idf' } },
      });
    } catch (error) {
      // Another worker created it first; anything else is real.
      if (!(await client.collectionExists(collection)).exists) throw error;
    }
  }
  const shape = await shapeOf(client, collection);
  verifyShape(collection, dimensions, shape);
  for (const index of payloadIndexes) {
    if (!shape.indexed.has(index.field_name)) await client.createPayloadIndex(collection, { ...index, wait: true });
  }
}
