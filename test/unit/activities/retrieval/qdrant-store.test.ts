import { ApplicationFailure } from '@temporalio/common';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollectionMismatchError, EmbedderMismatchError } from '../../../../activities/retrieval/qdrant-collection';
import { QdrantStore } from '../../../../activities/retrieval/qdrant-store';
import { InvalidStoreRequestError, withStoreFailures } from '../../../../activities/retrieval/store-errors';
import type { EmbeddedChunk } from '../../../../activities/retrieval/vector-store';

// The Qdrant adapter against a small fake of the REST endpoints it uses (no Qdrant server here).
interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  bytes: number;
}

interface FakeCollection {
  vectors: Record<string, unknown>;
  sparse_vectors: Record<string, unknown>;
  payload_schema: Record<string, unknown>;
}

type Payload = Record<string, unknown>;
type FakeCondition = { key: string; match: { value: unknown } } | { is_empty: { key: string } };
interface FakeFilter {
  must?: FakeCondition[];
  must_not?: FakeCondition[];
}

/** The two kinds of condition the open-time embedder check uses, as Qdrant reads them. */
function holds(condition: FakeCondition, payload: Payload): boolean {
  if ('is_empty' in condition) return payload[condition.is_empty.key] == null;
  return payload[condition.key] === condition.match.value;
}
const matches = (filter: FakeFilter | undefined, payload: Payload): boolean =>
  (filter?.must ?? []).every((condition) => holds(condition, payload)) &&
  !(filter?.must_not ?? []).some((condition) => holds(condition, payload));

const fitting = (): FakeCollection => ({
  vectors: { dense: { size: 4, distance: 'Cosine' } }, sparse_vectors: { lexical: {} }, payload_schema: {},
});

class FakeQdrant {
  readonly requests: Recorded[] = [];
  collection: FakeCollection | undefined;
  /** Status the next query answers with, instead of a result. */
  queryStatus: number | undefined;
  queryPoints: { id: string; score: number; payload: Record<string, unknown> }[][] = [];
  /** Stored points' payloads by id, in insertion order (upserts replace). */
  readonly points = new Map<string, Payload>();
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const path = (request.url ?? '').split('?')[0]!;
        const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
        this.requests.push({ method: request.method ?? '', path, headers: request.headers, body, bytes: raw.length });
        const [status, result] = this.answer(request.method ?? '', path, body);
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(
          status < 300 ? { result, status: 'ok', time: 0 } : { status: { error: String(result) }, time: 0 },
        ));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(method: string, path: string, body: Record<string, unknown>): [number, unknown] {
    if (path.endsWith('/exists')) return [200, { exists: this.collection !== undefined }];
    if (/^\/collections\/[^/]+$/.test(path) && method === 'PUT') {
      this.collection = {
        vectors: body.vectors as Record<string, unknown>,
        sparse_vectors: body.sparse_vectors as Record<string, unknown>,
        payload_schema: {},
      };
      return [200, true];
    }
    if (/^\/collections\/[^/]+$/.test(path) && method === 'GET') {
      const { vectors, sparse_vectors, payload_schema } = this.collection!;
      return [200, { status: 'green', config: { params: { vectors, sparse_vectors } }, payload_schema }];
    }
    if (path.endsWith('/index')) {
      this.collection!.payload_schema[String(body.field_name)] = { data_type: 'keyword' };
      return [200, { operation_id: 1, status: 'completed' }];
    }
    if (path.endsWith('/points') && method === 'PUT') {
      for (const point of body.points as { id: string; payload: Payload }[]) this.points.set(point.id, point.payload);
      return [200, { operation_id: 1, status: 'completed' }];
    }
    if (path.endsWith('/points/scroll')) return [200, this.scroll(body)];
    if (path.endsWith('/points/query') || path.endsWith('/points/query/batch')) {
      if (this.queryStatus) return [this.queryStatus, 'Wrong input: vector dimension error'];
      return path.endsWith('/batch')
        ? [200, this.queryPoints.map((points) => ({ points }))]
        : [200, { points: this.queryPoints[0] ?? [] }];
    }
    if (path.endsWith('/points/count')) return [200, { count: 0 }];
    return [404, `no fake for ${method} ${path}`];
  }

  private scroll(body: Record<string, unknown>) {
    const fields = Array.isArray(body.with_payload) ? (body.with_payload as string[]) : undefined;
    const points = [...this.points]
      .filter(([, payload]) => matches(body.filter as FakeFilter | undefined, payload))
      .slice(0, Number(body.limit ?? 10))
      .map(([id, payload]) => ({
        id,
        payload: fields
          ? Object.fromEntries(fields.filter((field) => field in payload).map((field) => [field, payload[field]]))
          : payload,
      }));
    return { points, next_page_offset: null };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const dimensions = 4;
const chunk = (index: number, text: string): EmbeddedChunk => ({
  id: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`, tenant: 't', documentId: 'd', chunkIndex: index,
  title: 'T', source: 'd', text, vector: [0.1, 0.2, 0.3, 0.4], version: 7,
});

describe('QdrantStore against a fake Qdrant', () => {
  let fake: FakeQdrant;
  let url: string;
  const open = (extra: { maxRequestBytes?: number; denseWeight?: number; embedderId?: string } = {}) =>
    QdrantStore.open({ url, collection: 'chunks', dimensions, embedderId: 'minilm', ...extra });
  const scrolls = () => fake.requests.filter((request) => request.path.endsWith('/points/scroll'));

  beforeEach(async () => {
    fake = new FakeQdrant();
    url = await fake.start();
  });
  afterEach(() => fake.stop());

  it('asks for uncompressed responses on every request', async () => {
    const store = await open();
    await store.upsert([chunk(0, 'hello')]);
    expect(fake.requests.length).toBeGreaterThan(3);
    for (const request of fake.requests) expect(request.headers['accept-encoding']).toBe('identity');
  });

  it('refuses an existing collection whose dense vector has another dimension, ' +
    'naming what it expected and found', async () => {
    fake.collection = {
      vectors: { dense: { size: 8, distance: 'Cosine' } }, sparse_vectors: { lexical: {} }, payload_schema: {},
    };
    await expect(open()).rejects.toThrow(
      /collection "chunks".*expected dense vector "dense" of size 4 \(Cosine\).*found "dense" size 8 Cosine/s,
    );
    fake.collection = { vectors: { size: 4, distance: 'Cosine' }, sparse_vectors: {}, payload_schema: {} };
    await expect(open()).rejects.toThrow(/found one unnamed vector of size 4, sparse vectors none/);
  });

  it('creates the payload indexes an existing collection lacks', async () => {
    fake.collection = {
      vectors: { dense: { size: 4, distance: 'Cosine' } }, sparse_vectors: { lexical: {} },
      payload_schema: { tenant: {} },
    };
    await open();
    const created = fake.requests
      .filter((request) => request.path.endsWith('/index'))
      .map((request) => request.body.field_name);
    expect(created).toEqual(['document_id', 'source', 'version', 'embedder']);
  });

  it('treats a 400 as a refused request (never retried) and a 503 as an outage (retried)', async () => {
    const store = withStoreFailures(await open());
    fake.queryStatus = 400;
    const refused = await store.search({ tenant: 't', text: 'x', vector: [1, 0, 0, 0], topK: 3, mode: 'dense' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'InvalidStoreRequest', nonRetryable: true });
    expect((refused as Error).message).not.toMatch(/127\.0\.0\.1/);
    fake.queryStatus = 503;
    const outage = await store.search({ tenant: 't', text: 'x', vector: [1, 0, 0, 0], topK: 3, mode: 'dense' })
      .catch((error: unknown) => error);
    expect(outage).toMatchObject({ type: 'StoreUnavailable', nonRetryable: false });
  });

  it('splits upserts to stay under the request byte budget, and names a single chunk that cannot fit', async () => {
    const store = await open({ maxRequestBytes: 20_000 });
    const before = fake.requests.length;
    await store.upsert(Array.from({ length: 12 }, (_, index) => chunk(index, `text ${index} ${'x'.repeat(4000)}`)));
    const upserts = fake.requests
      .slice(before)
      .filter((request) => request.method === 'PUT' && request.path.endsWith('/points'));
    expect(upserts.length).toBeGreaterThan(1);
    expect(upserts.every((request) => request.bytes <= 20_000)).toBe(true);
    expect(upserts.flatMap((request) => request.body.points as unknown[]).length).toBe(12);
    // A newer version stored for an id is never overwritten by an older ingest.
    expect(upserts[0]!.body.update_filter).toEqual({
      should: [{ key: 'version', range: { lte: 7 } }, { is_empty: { key: 'version' } }],
    });
    await expect(store.upsert([chunk(0, 'y'.repeat(30_000))])).rejects.toBeInstanceOf(InvalidStoreRequestError);
  });

  it('fuses hybrid rankings client-side by weighted score, as the LanceDB store does', async () => {
    const point = (id: string, score: number) => ({
      id, score, payload: { tenant: 't', document_id: id, chunk_index: 0, title: id, source: id, text: id },
    });
    const rankings = () => [[point('a', 3), point('b', 2.9)], [point('b', 0.9), point('a', 0.1)]];
    // Standardised, lexical gives a +1 and b -1, dense the reverse; at the default dense weight (0.5)
    // a scores 0.5 and b -0.5, shifted so the weakest scores 0.
    fake.queryPoints = rankings();
    const store = await open();
    const results = await store.search({ tenant: 't', text: 'alpha', vector: [1, 0, 0, 0], topK: 2 });
    expect(results.map((result) => result.documentId)).toEqual(['a', 'b']);
    expect(results.map((result) => result.score)).toEqual([1, 0]);
    // Each hit carries its dense score as its similarity to the query (off-topic questions are told by it).
    expect(results.map((result) => result.similarity)).toEqual([0.1, 0.9]);
    fake.queryPoints = [[point('a', 3), point('c', 2)], [point('b', 0.9), point('a', 0.1)]];
    const lexicalOnly = await store.search({ tenant: 't', text: 'alpha', vector: [1, 0, 0, 0], topK: 3 });
    // c, which only the lexical ranking returned, gets the dense ranking's lowest score: an upper bound.
    expect(lexicalOnly.find((result) => result.documentId === 'c')?.similarity).toBe(0.1);
    fake.queryPoints = rankings();
    const denseFirst = await open({ denseWeight: 2 });
    const reordered = await denseFirst.search({ tenant: 't', text: 'alpha', vector: [1, 0, 0, 0], topK: 2 });
    expect(reordered.map((result) => result.documentId)).toEqual(['b', 'a']);
    const batch = fake.requests.find((request) => request.path.endsWith('/points/query/batch'))!;
    for (const search of batch.body.searches as { filter: unknown }[]) {
      expect(search.filter).toEqual({ must: [{ key: 'tenant', match: { value: 't' } }] });
    }
  });

  it('weighs the dense ranking by the embedder, whatever the collection is called', async () => {
    const point = (id: string, score: number) => ({
      id, score, payload: { tenant: 't', document_id: id, chunk_index: 0, title: id, source: id, text: id },
    });
    const scoresWith = async (collection: string, embedderId: string) => {
      fake.queryPoints = [[point('a', 3), point('b', 2.9)], [point('b', 0.9), point('a', 0.1)]];
      const store = await QdrantStore.open({ url, collection, dimensions, embedderId });
      const results = await store.search({ tenant: 't', text: 'alpha', vector: [1, 0, 0, 0], topK: 2 });
      return results.map((result) => result.score);
    };
    // Hashing vectors carry no meaning: dense weight 0, so a leads by the lexical spread alone (2).
    expect(await scoresWith('chunks', 'hashing-384')).toEqual([2, 0]);
    expect(await scoresWith('hashing-chunks', 'minilm')).toEqual([1, 0]);
  });

  describe('the embedder that wrote the collection', () => {
    const stored = (embedder?: string): Payload =>
      ({ tenant: 't', document_id: 'd', ...(embedder ? { embedder } : {}) });

    it('opens a fresh collection, indexing the embedder field', async () => {
      await open();
      expect(fake.collection!.payload_schema).toHaveProperty('embedder');
      // One cheap question: any point naming another embedder, one at most, only that field, no vectors.
      expect(scrolls().map((request) => request.body)).toEqual([{
        filter: { must_not: [{ key: 'embedder', match: { value: 'minilm' } }, { is_empty: { key: 'embedder' } }] },
        limit: 1, with_payload: ['embedder'], with_vector: false,
      }]);
    });

    it('writes the embedder id into every upserted point', async () => {
      const store = await open();
      await store.upsert([chunk(0, 'one'), chunk(1, 'two')]);
      expect([...fake.points.values()].map((payload) => payload.embedder)).toEqual(['minilm', 'minilm']);
    });

    it('opens a collection whose points name the same embedder', async () => {
      fake.collection = fitting();
      fake.points.set('a', stored('minilm'));
      await expect(open()).resolves.toBeInstanceOf(QdrantStore);
    });

    it('opens a collection written before points named their embedder', async () => {
      fake.collection = fitting();
      fake.points.set('a', stored());
      fake.points.set('b', stored());
      await expect(open()).resolves.toBeInstanceOf(QdrantStore);
    });

    it('refuses a collection whose points name another embedder, naming both and the way out', async () => {
      fake.collection = fitting();
      // An untagged point first: a one-point sample would have let this collection through.
      fake.points.set('a', stored());
      fake.points.set('b', stored('hashing-4'));
      const refused = await open().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(EmbedderMismatchError);
      expect(refused).toBeInstanceOf(CollectionMismatchError);
      expect(refused).toMatchObject({
        name: 'EmbedderMismatchError', collection: 'chunks', storedEmbedder: 'hashing-4', embedder: 'minilm',
      });
      expect((refused as Error).message).toMatch(
        /collection "chunks" holds vectors of embedder "hashing-4".*embeds with "minilm"/s,
      );
      expect((refused as Error).message).toMatch(/another collection \(SLUICE_QDRANT_COLLECTION.*re-ingest/s
      );
    });

    it('refuses a worker with another embedder once one has written the collection', async () => {
      const first = await open({ embedderId: 'hashing-4' });
      await first.upsert([chunk(0, 'hello')]);
      await expect(open()).rejects.toThrow(EmbedderMismatchError);
      await expect(open({ embedderId: 'hashing-4' })).resolves.toBeInstanceOf(QdrantStore);
    });
  });
});
