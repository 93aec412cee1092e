import { z } from 'zod';
import { ConfigError, parseEnvironment } from './config';
import { piiTypeSchema } from './gates';

/** A chunk of a document as stored in a vector store. */
export const chunkSchema = z.object({
  /** Deterministic point id: hash of tenant, document, chunk index and content. */
  id: z.string(),
  tenant: z.string(),
  documentId: z.string(),
  chunkIndex: z.number().int().nonnegative(),
  title: z.string(),
  source: z.string(),
  text: z.string(),
});
export type Chunk = z.infer<typeof chunkSchema>;

/** A retrieved chunk with its relevance score. */
export const scoredChunkSchema = chunkSchema.extend({
  score: z.number(),
  /**
   * Cosine similarity of the chunk's vector to the question's, when the search ranked by vectors (dense and
   * hybrid). A hybrid hit that only the lexical ranking returned gets the lowest similarity the dense ranking
   * returned: an upper bound of its own. Absent on lexical search.
   */
  similarity: z.number().optional(),
});
export type ScoredChunk = z.infer<typeof scoredChunkSchema>;

/** Where a statement of an answer comes from. */
export const citationSchema = z.object({
  /** 1-based marker used in the answer text, as in [1]. */
  marker: z.number().int().positive(),
  documentId: z.string(),
  chunkIndex: z.number().int().nonnegative(),
  title: z.string(),
  source: z.string(),
  score: z.number(),
  /** The sentence or passage quoted from the chunk. */
  quote: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

/** Rankings a search uses: BM25-style lexical, dense similarity, or both fused by weighted score fusion. */
export const searchModeSchema = z.enum(['hybrid', 'dense', 'lexical']);
export type SearchMode = z.infer<typeof searchModeSchema>;

/** Input of the `optimizeStore` activity: the tenant whose table an ingest wrote, or none for every open table. */
export const optimizeStoreRequestSchema = z.object({ tenant: z.string().min(1, 'must not be empty').optional() });
export type OptimizeStoreRequest = z.infer<typeof optimizeStoreRequestSchema>;

/**
 * When the worker's reranker reorders a search's candidates: always (`true`), never (`false`), or only
 * when the hybrid ranking is unsure of its first place (`'uncertain'`: its top two fused scores are within
 * a margin chosen on the RAG eval's tuning questions; dense and lexical searches rerank as with `true`).
 */
export const rerankPolicySchema = z.union([z.boolean(), z.literal('uncertain')]);
export type RerankPolicy = z.infer<typeof rerankPolicySchema>;

/** Input of the `retrievePassages` activity. */
export const retrieveRequestSchema = z.object({
  tenant: z.string().min(1, 'must not be empty'),
  query: z.string(),
  /**
   * The user's own words when `query` had PII redacted by the input gates. Searched in its place inside the
   * trust boundary: always by the lexical ranking, by the dense one only when the embedder runs in the
   * worker's process (an embedding API or a remote reranker get `query`). Set from the route's `retrievalQuery`.
   */
  unredactedQuery: z.string().optional(),
  topK: z.number().int().positive().max(100),
  /** @default 'hybrid' */
  mode: searchModeSchema.optional(),
  /** Rerank a wider candidate pool with the worker's reranker before cutting to topK. @default false */
  rerank: rerankPolicySchema.optional(),
  /**
   * Fail with UnknownTenant when the tenant has no chunk at all, instead of returning nothing.
   * @default false (the answer pipeline treats an empty tenant as "no context")
   */
  requireKnownTenant: z.boolean().optional(),
});
export type RetrieveRequest = z.infer<typeof retrieveRequestSchema>;

/** What a route does with PII found in retrieved passages (see the catalog's `passagePii`). */
export const passagePiiPolicySchema = z.enum(['redact', 'keep']);
export type PassagePiiPolicy = z.infer<typeof passagePiiPolicySchema>;

/**
 * Which text a route's retrieval searches with when the input gates redacted PII from the question:
 * `asked` (the default) the user's own words, inside the trust boundary; `redacted` the placeholder text.
 */
export const retrievalQueryPolicySchema = z.enum(['asked', 'redacted']);
export type RetrievalQueryPolicy = z.infer<typeof retrievalQueryPolicySchema>;

/** PII removed from passages inside the retrieval activity, so the raw values never reach history. */
export const passageRedactionSchema = z.object({
  types: z.array(piiTypeSchema).min(1, 'name at least one PII type'),
  /** Region used to read phone numbers written without a country code (ISO 3166 alpha-2). */
  defaultRegion: z.string().length(2),
  /** The pii-leak gate's `publicValues`: the tenant's published contacts, left in the passages. */
  publicValues: z.array(z.string()).optional(),
});
export type PassageRedaction = z.infer<typeof passageRedactionSchema>;

/**
 * How much of the retrieved context a route's prompts carry (catalog `routes.<name>.context`, pinned in
 * the answer plan). Each field trims on its own; absent fields, and an absent policy, trim nothing.
 */
export const contextPolicySchema = z.strictObject({
  /** Most passages in the prompt, best first (after near-duplicates are dropped). */
  maxPassages: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1')
    .max(100, 'must be at most 100').optional(),
  /**
   * Drops passages scoring under this share (0-1) of the best retrieved one; ignored when the best
   * score is not positive (a reranker's logits). Scores are comparable within one search only, and mean
   * something else per mode: cosine similarity (dense), BM25 (lexical), the reranker's relevance. On
   * hybrid search, the default, the score is the weighted sum of both rankings' standardised scores, shifted
   * so the weakest of the ~60 candidates scores 0 (activities/retrieval/score-fusion.ts): a share is a share of
   * the candidates' spread, not of relevance. The trimming figures in the README were measured under the
   * earlier rank fusion; prefer `maxTokens` or `maxPassages` on hybrid routes (README, "Answer cache").
   */
  minRelativeScore: z.number({ error: 'must be a number' }).min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1').optional(),
  /** Most prompt tokens (cl100k_base) the passages take together; the request's budget still caps it. */
  maxTokens: z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be greater than 0')
    .optional(),
  /**
   * Most sentences kept of each packed passage: those sharing the most (and the rarest) content words with the
   * question, in their order, with "..." where sentences were left out; the passage and its citation stay.
   * Trims within passages where the fields above drop whole ones (activities/retrieval/focus-sentences.ts).
   */
  focusSentences: z.number({ error: 'must be a number' }).int('must be a whole number')
    .min(1, 'must be at least 1').max(50, 'must be at most 50').optional(),
  /**
   * The question is taken to be outside the tenant's documents, and the run answers `no_context` without a
   * model call, when no retrieved passage's similarity (cosine, 0-1) reaches this AND some content word of
   * the question is in none of them. Both, because short keyword questions ("PII", "BM25") score low on
   * similarity while their words are there. 0 turns it off. @default by embedder: 0.3 for the local MiniLM
   * (chosen on ../shared/eval/rag, README "Questions outside the documents"), off for others, whose
   * similarities run on other scales.
   */
  offTopicSimilarity: z.number({ error: 'must be a number' }).min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1').optional(),
});
export type ContextPolicy = z.infer<typeof contextPolicySchema>;

/** `retrieveContext`'s input: a search, the prompt budget its passages must fit, and their redaction. */
export const retrieveContextRequestSchema = retrieveRequestSchema.extend({
  tokenBudget: z.number().int('must be a positive integer').positive('must be a positive integer'),
  redactPii: passageRedactionSchema.optional(),
  /** The route's context policy, as the run pinned it; absent: every passage that fits `tokenBudget`. */
  context: contextPolicySchema.optional(),
});
export type RetrieveContextRequest = z.infer<typeof retrieveContextRequestSchema>;

/** A passage chosen for the model's context, with what a citation needs. */
export const packedPassageSchema = scoredChunkSchema.extend({
  /** Tokens the passage costs in the prompt (cl100k_base). */
  tokens: z.number().int().nonnegative(),
});
export type PackedPassage = z.infer<typeof packedPassageSchema>;

/** Passages that fit a token budget, best first, near-duplicates dropped. */
export const packedContextSchema = z.object({
  passages: z.array(packedPassageSchema),
  totalTokens: z.number().int().nonnegative(),
  /** Why candidates were left out: ids of near-duplicates and of passages over budget. */
  droppedDuplicates: z.array(z.string()),
  droppedOverBudget: z.array(z.string()),
  /** Ids the route's context policy left out (under its relative score, past its passage count); absent when none. */
  droppedByPolicy: z.array(z.string()).optional(),
  /** Sentences `focusSentences` left out, per kept passage id (each gap marked "..."); absent when none. */
  elidedByPolicy: z.record(z.string(), z.number().int().positive()).optional(),
  /** Values removed from the passages per PII type, when the request asked for redaction. */
  redactedPii: z.partialRecord(piiTypeSchema, z.number().int().positive()).optional(),
  /** Present when the question was found outside the documents (`offTopicSimilarity`): why, and no passages. */
  offTopic: z.object({
    bestSimilarity: z.number(),
    threshold: z.number(),
    /** The question's words in none of the retrieved passages (stemmed, as the lexical index holds them). */
    missingTerms: z.array(z.string()),
  }).optional(),
});
export type PackedContext = z.infer<typeof packedContextSchema>;

/** How many recently embedded questions' vectors a local embedder keeps unless told otherwise. */
export const defaultRecentVectors = 512;

/** Which embedder and vector store a worker uses, from the environment (validated at start-up). */
export const retrievalConfigSchema = z.object({
  /** 'auto': the offline ONNX model when installed, else the hashing embedder. */
  embedder: z.enum(['auto', 'onnx', 'hashing', 'openai']).default('auto'),
  /** For 'openai': the model, its vector width, and an optional OpenAI-compatible base URL. */
  embeddingModel: z.string().min(1).default('text-embedding-3-small'),
  embeddingDimensions: z.coerce.number().int().positive().default(1536),
  embeddingBaseUrl: z.string().url().optional(),
  /** For 'onnx': model sessions embedding side by side (faster ingest, ~50 MiB each); 1 keeps one. */
  embeddingSessions: z.coerce.number().int().min(1).max(8).default(1),
  /**
   * For 'onnx': how many recently embedded short texts (questions) keep their vectors, ~1.5 KiB each, so a
   * question asked again skips the model; 0 keeps none.
   */
  recentVectors: z.coerce.number().int().min(0).max(100_000).default(defaultRecentVectors),
  vectorStore: z.enum(['lancedb', 'qdrant']).default('lancedb'),
  qdrantUrl: z.string().url().optional(),
  qdrantCollection: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  /** Cohere-style `/rerank` server (vLLM, Jina, Infinity, Cohere); reranking is off without it. */
  rerankUrl: z.string().url().optional(),
  rerankModel: z.string().min(1).default('BAAI/bge-reranker-base'),
  /**
   * The reranker run in the worker's process when no server is set: 'late-interaction' (answerai-colbert-small,
   * MaxSim) or 'cross-encoder' (ms-marco-MiniLM-L-12). Both come with `npm install`; on the RAG eval the first
   * ranked better at the same cost (bench/RESULTS.md, "Quality").
   */
  localReranker: z.enum(['late-interaction', 'cross-encoder']).default('late-interaction'),
  /**
   * Seconds a local reranker may go unused before its model is closed (it loads again at the next rerank, in
   * about half a second); 0 keeps it loaded for the process's life.
   */
  rerankIdleUnloadSeconds: z.coerce.number().int().min(0).max(86_400).default(600),
});
export type RetrievalConfig = z.infer<typeof retrievalConfigSchema>;

/** Environment variable behind each retrieval setting. Keys (OPENAI_API_KEY, QDRANT_API_KEY, SLUICE_RERANK_API_KEY) are read where used, never stored here. */
export const retrievalEnvironmentVariables: Record<keyof RetrievalConfig, string> = {
  embedder: 'SLUICE_EMBEDDER',
  embeddingModel: 'SLUICE_EMBEDDING_MODEL',
  embeddingDimensions: 'SLUICE_EMBEDDING_DIMENSIONS',
  embeddingBaseUrl: 'SLUICE_EMBEDDING_BASE_URL',
  embeddingSessions: 'SLUICE_EMBEDDING_SESSIONS',
  recentVectors: 'SLUICE_RECENT_VECTORS',
  vectorStore: 'SLUICE_VECTOR_STORE',
  qdrantUrl: 'QDRANT_URL',
  qdrantCollection: 'SLUICE_QDRANT_COLLECTION',
  rerankUrl: 'SLUICE_RERANK_URL',
  rerankModel: 'SLUICE_RERANK_MODEL',
  localReranker: 'SLUICE_LOCAL_RERANKER',
  rerankIdleUnloadSeconds: 'SLUICE_RERANK_IDLE_UNLOAD_S',
};

/** Reads the retrieval settings; the error names the variable at fault. */
export function loadRetrievalConfig(environment: Record<string, string | undefined>): RetrievalConfig {
  const config = parseEnvironment(retrievalConfigSchema, retrievalEnvironmentVariables, environment);
  if (config.vectorStore === 'qdrant' && !config.qdrantUrl) {
    throw new ConfigError('invalid configuration: QDRANT_URL: must be set when SLUICE_VECTOR_STORE=qdrant');
  }
  return config;
}
