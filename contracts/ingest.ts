import { z } from 'zod';
import { identifierSchema } from './ids';

/** Ingest every supported file under a folder into the tenant's store. */
export const ingestRequestSchema = z.object({
  tenant: identifierSchema,
  /** Business id of this ingest run; part of the workflow id. */
  ingestId: identifierSchema,
  /** Absolute path of a folder (or a single file) readable by the orchestration worker. */
  path: z.string().min(1, 'must not be empty').refine((value) => value.startsWith('/'), 'must be an absolute path'),
});
export type IngestRequest = z.infer<typeof ingestRequestSchema>;

/** A file found under the ingest path. */
export const sourceFileSchema = z.object({
  path: z.string(),
  /** Stable id: the path relative to the ingest root. */
  documentId: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type SourceFile = z.infer<typeof sourceFileSchema>;

export const documentOutcomeSchema = z.object({
  documentId: z.string(),
  status: z.enum(['ingested', 'skipped']),
  chunks: z.number().int().nonnegative(),
  /** Why a document was skipped: empty, not UTF-8, too large… */
  reason: z.string().optional(),
});
export type DocumentOutcome = z.infer<typeof documentOutcomeSchema>;

export const ingestProgressSchema = z.object({
  totalDocuments: z.number().int().nonnegative(),
  processedDocuments: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
});
export type IngestProgress = z.infer<typeof ingestProgressSchema>;

export const ingestResultSchema = z.object({
  documents: z.array(documentOutcomeSchema),
  ingestedDocuments: z.number().int().nonnegative(),
  skippedDocuments: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;
