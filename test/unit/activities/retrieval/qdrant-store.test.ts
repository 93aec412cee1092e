import { ApplicationFailure } from '@temporalio/common';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

class FakeQdrant {
  readonly requests: Recorded[] = [];
  collection: FakeCollection | undefined;
  /** Status the next query answers with, instead of a result. */
  queryStatus: number | undefined;
  queryPoints: { id: string; score: number; payload: Record<string, unknown> }[][] = [];
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
    if (path.endsWith('/points') && method === 'PUT') return [200, { operation_id: 1, status: 'completed' }];
    if (path.endsWith('/points/query') || path.endsWith('/points/query/batch')) {
      if (this.queryStatus) return [this.queryStatus, 'Wrong input: vector dimension error'];
      return path.endsWith('/batch')
        ? [200, this.queryPoints.map((points) => ({ points }))]
        : [200, { points: this.queryPoints[0] ?? [] }];
    }
    if (path.endsWith('/points/count')) return [200, { count: 0 }];
    return [404, `no fake for ${method} ${path}`];
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
  const open = (extra: { maxRequestBytes?: number; denseWeight?: number } = {}) =>
    QdrantStore.open({ url, collection: 'chunks', dimensions, ...extra });

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
    expect(created).toEqual(['document_id', 'source', 'version']);
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
    fake.queryPoints = rankings();
    const denseFirst = await open({ denseWeight: 2 });
    const reordered = await denseFirst.search({ tenant: 't', text: 'alpha', vector: [1, 0, 0, 0], topK: 2 });
    expect(reordered.map((result) => result.documentId)).toEqual(['b', 'a']);
    const batch = fake.requests.find((request) => request.path.endsWith('/points/query/batch'))!;
    for (const search of batch.body.searches as { filter: unknown }[]) {
      expect(search.filter).toEqual({ must: [{ key: 'tenant', match: { value: 't' } }] });
    }
  });
});
