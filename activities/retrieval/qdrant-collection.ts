import type { QdrantClient } from '@qdrant/js-client-rest';

/** Names of the two vectors each point carries. */
export const denseName = 'dense';
export const lexicalName = 'lexical';

/** Thrown on open when an existing collection cannot hold Sluice's points. */
export class CollectionMismatchError extends Error {
  override readonly name: string = 'CollectionMismatchError';
}

/**
 * Thrown on open when the collection holds points another embedder wrote. Two embedders' vectors are
 * not comparable even at the same size (the hashing embedder and MiniLM are both 384-d), so mixing
 * them would only show as search quality silently collapsing.
 */
export class EmbedderMismatchError extends CollectionMismatchError {
  override readonly name = 'EmbedderMismatchError';

  constructor(
    readonly collection: string,
    /** The embedder id a stored point names. */
    readonly storedEmbedder: string,
    /** The embedder id of the worker that tried to open the collection. */
    readonly embedder: string,
  ) {
    super(
      `Qdrant collection "${collection}" holds vectors of embedder "${storedEmbedder}", but this worker ` +
      `embeds with "${embedder}"; vectors of two embedders cannot be searched together. Switch back to ` +
      `"${storedEmbedder}", or use another collection (SLUICE_QDRANT_COLLECTION, or unset it for one named ` +
      'after the embedder) and re-ingest the sources into it.',
    );
  }
}

/** What the worker opening a collection will write into it. */
export interface ExpectedCollection {
  /** Size of the dense vector. */
  dimensions: number;
  /** Id of the embedder whose vectors the worker writes and queries with (Embedder.id). */
  embedderId: string;
}

/** Payload indexes the adapter's filters rely on; `tenant` is the tenant key Qdrant co-locates by. */
const payloadIndexes = [
  { field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true } },
  { field_name: 'document_id', field_schema: 'keyword' },
  { field_name: 'source', field_schema: 'keyword' },
  { field_name: 'version', field_schema: 'integer' },
  // Keeps the open-time embedder check an index lookup rather than a scan of the collection.
  { field_name: 'embedder', field_schema: 'keyword' },
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
 * Refuses a collection holding a point whose `embedder` names another embedder. Rather than sampling
 * one point, this asks for any point that names an embedder other than ours (an indexed filter, limit 1,
 * only that payload field): a sample could land on an untagged point while others name another embedder.
 * Points written before Sluice recorded the embedder have no `embedder` and are accepted (`is_empty`),
 * so existing deployments keep opening: what embedded those points cannot be known from the collection.
 */
async function verifyEmbedder(client: QdrantClient, collection: string, embedderId: string): Promise<void> {
  const { points } = await client.scroll(collection, {
    filter: { must_not: [{ key: 'embedder', match: { value: embedderId } }, { is_empty: { key: 'embedder' } }] },
    limit: 1,
    with_payload: ['embedder'],
    with_vector: false,
  });
  const [foreign] = points;
  if (foreign) throw new EmbedderMismatchError(collection, String(foreign.payload?.embedder), embedderId);
}

/**
 * Creates the collection when missing; otherwise checks that it fits (a wrong dimension would
 * only fail later, on every upsert); then creates whichever payload index is missing, and checks
 * that no stored point was embedded by another embedder.
 */
export async function prepareCollection(
  client: QdrantClient,
  collection: string,
  { dimensions, embedderId }: ExpectedCollection,
): Promise<void> {
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
  await verifyEmbedder(client, collection, embedderId);
}
