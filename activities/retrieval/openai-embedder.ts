import OpenAI from 'openai';
import type { Embedder } from './embedder';

export interface OpenAIEmbedderSettings {
  /** e.g. text-embedding-3-small, or the model name an OpenAI-compatible server serves. */
  model: string;
  /** Vector width the model returns (or is asked for, for models that accept `dimensions`). */
  dimensions: number;
  /** Read from the environment by the caller; never logged or put in workflow history. */
  apiKey?: string;
  /** For OpenAI-compatible servers (vLLM, TEI, Ollama); OpenAI's own API when absent. */
  baseURL?: string;
  /** Send `dimensions` in the request (only the text-embedding-3 models accept it). @default false */
  requestDimensions?: boolean;
  /** Texts per request. @default 128 */
  batchSize?: number;
  /** Injectable for tests. */
  fetch?: typeof fetch;
}

/**
 * Embeddings from OpenAI or any OpenAI-compatible endpoint. The SDK retries 429/5xx itself a
 * few times; failures that remain surface to the activity, whose retry policy takes over.
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly client: OpenAI;

  constructor(private readonly settings: OpenAIEmbedderSettings) {
    this.id = `openai:${settings.model}`;
    this.dimensions = settings.dimensions;
    this.client = new OpenAI({ apiKey: settings.apiKey ?? 'unused', baseURL: settings.baseURL, fetch: settings.fetch, maxRetries: 2 });
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const batchSize = this.settings.batchSize ?? 128;
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const input = texts.slice(start, start + batchSize).map((text) => text || ' ');
      const response = await this.client.embeddings.create({
        model: this.settings.model, input, encoding_format: 'float',
        ...(this.settings.requestDimensions ? { dimensions: this.dimensions } : {}),
      });
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      for (const item of ordered) {
        if (item.embedding.length !== this.dimensions) throw new Error(`${this.id} returned ${item.embedding.length} dimensions, expected ${this.dimensions}`);
        vectors.push(item.embedding);
      }
    }
    return vectors;
  }
}
