import { ingestRequestSchema, maxInlineCharacters } from '../../../../contracts/ingest';
import { loadRetrievalConfig } from '../../../../contracts/retrieval';

describe('ingest request and retrieval settings', () => {
  it('accepts a path, inline documents or both, and neither is an error naming the field', () => {
    expect(ingestRequestSchema.safeParse({ tenant: 't', ingestId: 'i', path: '/data' }).success).toBe(true);
    expect(ingestRequestSchema.safeParse({ tenant: 't', ingestId: 'i', documents: [{ documentId: 'kb/1', text: 'x', format: 'html' }] }).success).toBe(true);
    const neither = ingestRequestSchema.safeParse({ tenant: 't', ingestId: 'i' });
    expect(neither.success ? [] : neither.error.issues.map((issue) => [issue.path.join('.'), issue.message]))
      .toEqual([['path', 'give a path or at least one document']]);
  });

  it('caps inline text (it lands in workflow history) and rejects control characters in ids', () => {
    const big = ingestRequestSchema.safeParse({ tenant: 't', ingestId: 'i', documents: [{ documentId: 'a', text: 'x'.repeat(maxInlineCharacters + 1) }] });
    expect(big.success).toBe(false);
    const control = ingestRequestSchema.safeParse({ tenant: 't', ingestId: 'i', documents: [{ documentId: 'a\nb', text: 'x' }] });
    expect(control.success).toBe(false);
  });

  it('reads retrieval settings from the environment and names the variable at fault', () => {
    expect(loadRetrievalConfig({})).toMatchObject({ embedder: 'auto', vectorStore: 'lancedb' });
    expect(loadRetrievalConfig({ SLUICE_EMBEDDER: 'openai', SLUICE_EMBEDDING_DIMENSIONS: '768' }))
      .toMatchObject({ embedder: 'openai', embeddingDimensions: 768 });
    expect(() => loadRetrievalConfig({ SLUICE_EMBEDDER: 'word2vec' })).toThrow(/^invalid configuration: SLUICE_EMBEDDER: /);
    expect(() => loadRetrievalConfig({ SLUICE_VECTOR_STORE: 'qdrant' })).toThrow('QDRANT_URL: must be set when SLUICE_VECTOR_STORE=qdrant');
    expect(loadRetrievalConfig({}).embeddingSessions).toBe(1);
    expect(loadRetrievalConfig({ SLUICE_EMBEDDING_SESSIONS: '2' }).embeddingSessions).toBe(2);
    for (const bad of ['0', '1.5', 'many', '64']) {
      expect(() => loadRetrievalConfig({ SLUICE_EMBEDDING_SESSIONS: bad }))
        .toThrow(/^invalid configuration: SLUICE_EMBEDDING_SESSIONS: /);
    }
    expect(loadRetrievalConfig({}).recentVectors).toBe(512);
    expect(loadRetrievalConfig({ SLUICE_RECENT_VECTORS: '0' }).recentVectors).toBe(0);
    for (const bad of ['-1', 'lots', '2.5', '1000000']) {
      expect(() => loadRetrievalConfig({ SLUICE_RECENT_VECTORS: bad }))
        .toThrow(/^invalid configuration: SLUICE_RECENT_VECTORS: /);
    }
    expect(loadRetrievalConfig({}).localReranker).toBe('late-interaction');
    expect(loadRetrievalConfig({ SLUICE_LOCAL_RERANKER: 'cross-encoder' }).localReranker).toBe('cross-encoder');
    expect(() => loadRetrievalConfig({ SLUICE_LOCAL_RERANKER: 'colbert' }))
      .toThrow(/^invalid configuration: SLUICE_LOCAL_RERANKER: /);
    expect(loadRetrievalConfig({}).rerankIdleUnloadSeconds).toBe(600);
    expect(loadRetrievalConfig({ SLUICE_RERANK_IDLE_UNLOAD_S: '0' }).rerankIdleUnloadSeconds).toBe(0);
    for (const bad of ['-1', 'soon', '1.5', '100000']) {
      expect(() => loadRetrievalConfig({ SLUICE_RERANK_IDLE_UNLOAD_S: bad }))
        .toThrow(/^invalid configuration: SLUICE_RERANK_IDLE_UNLOAD_S: /);
    }
  });
});
