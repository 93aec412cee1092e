import type { ScoredChunk } from '../../contracts/retrieval';

/** Reorders retrieved candidates by a finer relevance model (a cross-encoder, typically). */
export interface Reranker {
  readonly id: string;
  /** Runs in the worker's process, so it may read the user's unredacted question (the trust boundary). */
  readonly inProcess?: boolean;
  /** The candidates reordered best first, at most `topK`, scores replaced by the reranker's. */
  rerank(query: string, candidates: readonly ScoredChunk[], topK: number): Promise<ScoredChunk[]>;
}

export interface HttpRerankerSettings {
  /** Base URL of a server with a Cohere-style `/rerank` (vLLM, Jina, Cohere, Infinity). */
  baseURL: string;
  model: string;
  /** Read from the environment by the caller; never logged. */
  apiKey?: string;
  /** @default 10000 */
  timeoutMs?: number;
  /** Injectable for tests. */
  fetch?: typeof fetch;
}

interface RerankResponse {
  results: { index: number; relevance_score: number }[];
}

/** Thrown for a reranker reply that cannot be used; the activity's retry policy decides. */
export class RerankerError extends Error {
  override readonly name = 'RerankerError';
}

/**
 * Reranks through a Cohere-style HTTP endpoint (`POST {baseURL}/rerank` with
 * `{model, query, documents, top_n}` → `{results: [{index, relevance_score}]}`), the shape vLLM,
 * Jina, Infinity and Cohere serve, so a cross-encoder on a GPU worker plugs in by URL.
 */
export class HttpReranker implements Reranker {
  readonly id: string;

  constructor(private readonly settings: HttpRerankerSettings) {
    this.id = `http:${settings.model}`;
  }

  async rerank(query: string, candidates: readonly ScoredChunk[], topK: number): Promise<ScoredChunk[]> {
    if (candidates.length === 0) return [];
    const response = await (this.settings.fetch ?? fetch)(`${this.settings.baseURL.replace(/\/$/, '')}/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}) },
      body: JSON.stringify({
        model: this.settings.model, query, top_n: topK,
        documents: candidates.map((candidate) => `${candidate.title}\n${candidate.text}`),
      }),
      signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new RerankerError(`reranker answered ${response.status}`);
    const body = (await response.json()) as Partial<RerankResponse>;
    if (!Array.isArray(body.results)) throw new RerankerError('reranker reply has no results');
    return body.results
      .filter((result) => Number.isInteger(result.index) && result.index >= 0 && result.index < candidates.length)
      .sort((a, b) => b.relevance_score - a.relevance_score)
      .slice(0, topK)
      .map((result) => ({ ...candidates[result.index]!, score: result.relevance_score }));
  }
}
