import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityDependencies } from '../activities';
import type { Embedder } from '../activities/retrieval/embedder';
import { HashingEmbedder } from '../activities/retrieval/hashing-embedder';
import { LanceDbStore } from '../activities/retrieval/lancedb-store';
import { installedMiniLmFiles, OnnxEmbedder } from '../activities/retrieval/onnx-embedder';
import { OnnxCrossEncoderReranker } from '../activities/retrieval/onnx-reranker';
import { OnnxLateInteractionReranker } from '../activities/retrieval/late-interaction-reranker';
import { HttpReranker, type Reranker } from '../activities/retrieval/reranker';
import { SourceRoots } from '../activities/retrieval/source-roots';
import { acquireStoreLock } from '../activities/retrieval/store-lock';
import { everyTenant, loadIngestRoots } from '../contracts/ingest-roots';
import { loadRetrievalConfig, type RetrievalConfig } from '../contracts/retrieval';
import { projectRoot } from '../temporal-config/project-root';

/**
 * Without SLUICE_INGEST_ROOTS a worker reads only the sample corpus by path; anything else goes
 * inline.
 */
export const defaultIngestRoots = { [everyTenant]: [join(projectRoot, 'examples', 'corpus')] };

// Loading the ONNX model takes a moment and its weights are read-only: one embedder per process
// (with SLUICE_EMBEDDING_SESSIONS sessions).
let onnxEmbedder: Promise<OnnxEmbedder> | undefined;
const localRerankers = new Map<RetrievalConfig['localReranker'], Reranker | undefined>();

/** The installed reranker the settings name, one per process, loaded at its first rerank. */
function localReranker(config: RetrievalConfig): Reranker | undefined {
  const name = config.localReranker;
  if (!localRerankers.has(name)) {
    const model = name === 'cross-encoder' ? OnnxCrossEncoderReranker : OnnxLateInteractionReranker;
    localRerankers.set(name, model.lazyInstalled(projectRoot, { idleUnloadMs: config.rerankIdleUnloadSeconds * 1000 }));
  }
  return localRerankers.get(name);
}

/** The embedder the settings ask for; 'auto' is the offline model when installed, else hashing. */
export async function createEmbedder(
  config: RetrievalConfig,
  environment: Record<string, string | undefined> = process.env,
): Promise<Embedder> {
  if (config.embedder === 'hashing') return new HashingEmbedder();
  // Loaded only when configured: the OpenAI SDK and the Qdrant client (with undici) cost the default worker
  // ~5 MiB of heap and ~20 ms of start-up that it never uses.
  if (config.embedder === 'openai') {
    const { OpenAIEmbedder } = await import('../activities/retrieval/openai-embedder');
    return new OpenAIEmbedder({
      model: config.embeddingModel, dimensions: config.embeddingDimensions, baseURL: config.embeddingBaseUrl,
      apiKey: environment.OPENAI_API_KEY, requestDimensions: config.embeddingModel.startsWith('text-embedding-3'),
    });
  }
  const files = installedMiniLmFiles(projectRoot);
  if (!files) {
    if (config.embedder === 'onnx')
      throw new Error(
        'SLUICE_EMBEDDER=onnx but the model files are missing from .tools/models: run `npm install` ' +
          '(scripts/install-tools.mjs)',
      );
    return new HashingEmbedder();
  }
  onnxEmbedder ??= OnnxEmbedder.load(files, {
    sessions: config.embeddingSessions, recentVectors: config.recentVectors,
  });
  return onnxEmbedder;
}

/** Table and collection names carry the embedder id, so vectors of two models never mix. */
const tableNameFor = (embedder: Embedder): string => `chunks_${embedder.id.replace(/[^a-z0-9]/gi, '_')}`;

/**
 * The retrieval layers from the environment. By default the one-machine, offline ones: the
 * embedded LanceDB store under `dataDir` and the local embedder; Qdrant and OpenAI-compatible
 * embeddings when configured (SLUICE_VECTOR_STORE, SLUICE_EMBEDDER; see README). The embedded
 * store serves one process: a second one on the same `dataDir` stops with a StoreLockedError.
 */
export async function openEmbeddedDefaults(
  dataDir: string,
  environment: Record<string, string | undefined> = process.env,
): Promise<ActivityDependencies> {
  const config = loadRetrievalConfig(environment);
  const sourceRoots = new SourceRoots(loadIngestRoots(environment, defaultIngestRoots));
  const directory = join(dataDir, 'vectors');
  // A second worker on this directory is refused now, before it spends seconds loading a model.
  const lock = config.vectorStore === 'lancedb' ? acquireStoreLock(directory) : undefined;
  try {
    return await openRetrieval(config, sourceRoots, directory, environment);
  } finally {
    lock?.release();
  }
}

async function openRetrieval(
  config: RetrievalConfig,
  sourceRoots: SourceRoots,
  directory: string,
  environment: Record<string, string | undefined>,
): Promise<ActivityDependencies> {
  const embedder = await createEmbedder(config, environment);
  // A reranking server when one is configured, else the installed model SLUICE_LOCAL_RERANKER names.
  const reranker = config.rerankUrl
    ? new HttpReranker({
        baseURL: config.rerankUrl,
        model: config.rerankModel,
        apiKey: environment.SLUICE_RERANK_API_KEY,
      })
    : localReranker(config);
  if (config.vectorStore === 'qdrant') {
    const { QdrantStore } = await import('../activities/retrieval/qdrant-store');
    const store = await QdrantStore.open({
      url: config.qdrantUrl!,
      apiKey: environment.QDRANT_API_KEY,
      collection: config.qdrantCollection ?? tableNameFor(embedder),
      dimensions: embedder.dimensions, embedderId: embedder.id,
    });
    return { embedder, store, reranker, sourceRoots };
  }
  mkdirSync(directory, { recursive: true });
  const store = await LanceDbStore.open(directory, tableNameFor(embedder), embedder.dimensions);
  return { embedder, store, reranker, sourceRoots };
}
