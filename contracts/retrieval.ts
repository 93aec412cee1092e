import { z } from 'zod';

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
export const scoredChunkSchema = chunkSchema.extend({ score: z.number() });
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
