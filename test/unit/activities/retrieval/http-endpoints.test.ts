import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIEmbedder } from '../../../../activities/retrieval/openai-embedder';
import { HttpReranker, RerankerError } from '../../../../activities/retrieval/reranker';
import type { ScoredChunk } from '../../../../contracts/retrieval';

// A real local HTTP server speaking the OpenAI embeddings and Cohere-style rerank protocols,
// so the real `openai` client and fetch are exercised without a key or network.
describe('HTTP embedder and reranker', () => {
  let server: Server;
  let baseURL: string;
  const requests: { url: string; body: Record<string, unknown>; authorization?: string }[] = [];
  let rerankStatus = 200;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let raw = '';
      request.on('data', (part) => (raw += part));
      request.on('end', () => {
        const body = JSON.parse(raw) as Record<string, unknown>;
        requests.push({ url: request.url ?? '', body, authorization: request.headers.authorization });
        response.setHeader('content-type', 'application/json');
        if (request.url === '/v1/embeddings') {
          const input = body.input as string[];
          // Returned out of order on purpose: the client must sort by index.
          const data = input.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index, 1] })).reverse();
          response.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
        } else if (request.url === '/rerank') {
          response.statusCode = rerankStatus;
          const documents = body.documents as string[];
          // Scores documents by how often "retry" occurs: a stand-in for a cross-encoder.
          const results = documents.map((document, index) => ({ index, relevance_score: (document.match(/retry/g) ?? []).length }));
          response.end(JSON.stringify({ results }));
        } else {
          response.statusCode = 404;
          response.end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('embeds through an OpenAI-compatible endpoint in batches, in input order', async () => {
    const embedder = new OpenAIEmbedder({ model: 'test-embed', dimensions: 3, baseURL: `${baseURL}/v1`, apiKey: 'sk-test', batchSize: 2 });
    const vectors = await embedder.embed(['a', 'bb', 'ccc']);
    expect(vectors).toEqual([[1, 0, 1], [2, 1, 1], [3, 0, 1]]);
    const calls = requests.filter((call) => call.url === '/v1/embeddings');
    expect(calls.map((call) => call.body.input)).toEqual([['a', 'bb'], ['ccc']]);
    expect(calls[0]?.authorization).toBe('Bearer sk-test');
    expect(embedder.id).toBe('openai:test-embed');
  });

  it('refuses vectors of the wrong width', async () => {
    const embedder = new OpenAIEmbedder({ model: 'test-embed', dimensions: 4, baseURL: `${baseURL}/v1`, apiKey: 'k' });
    await expect(embedder.embed(['x'])).rejects.toThrow('returned 3 dimensions, expected 4');
  });

  it('reorders candidates by the reranker\'s scores and cuts to topK', async () => {
    const candidate = (id: string, text: string, score: number): ScoredChunk => ({ id, tenant: 't', documentId: id, chunkIndex: 0, title: id, source: id, text, score });
    const reranker = new HttpReranker({ baseURL, model: 'test-rerank' });
    const reranked = await reranker.rerank('retry', [candidate('a', 'nothing', 0.9), candidate('b', 'retry retry', 0.5), candidate('c', 'retry', 0.4)], 2);
    expect(reranked.map((item) => [item.id, item.score])).toEqual([['b', 2], ['c', 1]]);
    rerankStatus = 503;
    await expect(reranker.rerank('retry', [candidate('a', 'x', 1)], 1)).rejects.toBeInstanceOf(RerankerError);
    rerankStatus = 200;
  });
});
