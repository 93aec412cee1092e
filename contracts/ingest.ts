import { z } from 'zod';
import { identifierSchema } from './ids';
import { hasVisibleText, isWellFormedText, refineVisibleText } from './visible-text';

/** Formats a document can be parsed from. A PDF's text layer is read (a scan needs OCR first). */
export const documentFormats = ['markdown', 'text', 'html', 'jsonl', 'csv', 'tsv', 'pdf', 'docx'] as const;
export const documentFormatSchema = z.enum(documentFormats);
export type DocumentFormat = z.infer<typeof documentFormatSchema>;

/** File extensions and the format each is parsed as (worker reads and client uploads agree on them). */
export const formatsByExtension: Readonly<Record<string, DocumentFormat>> = {
  '.md': 'markdown', '.markdown': 'markdown', '.txt': 'text', '.text': 'text',
  '.html': 'html', '.htm': 'html', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.csv': 'csv', '.tsv': 'tsv',
  '.pdf': 'pdf', '.docx': 'docx',
};

/** Formats whose files are bytes, not text: they travel in base64 (inline, uploads) and are read by the worker. */
export const binaryFormats: ReadonlySet<DocumentFormat> = new Set(['pdf', 'docx']);

/**
 * The format of a file by its name, or why it cannot be ingested. Shared by the worker's reads and
 * the client's uploads, so both skip the same files for the same reasons.
 */
export function formatOf(path: string): { format: DocumentFormat } | { reason: string } {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  // As path.extname: a leading dot (".profile") is a hidden name, not an extension.
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  const format = formatsByExtension[extension];
  if (format) return { format };
  return { reason: extension ? `unknown format (${extension})` : 'unknown format (no extension)' };
}

/** A file's bytes as text (strict UTF-8, byte-order mark dropped), or why they cannot be ingested. */
export function decodeSourceText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8 text' };
  }
  if (text.includes('\u0000')) return { ok: false, reason: 'binary content' };
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  return { ok: true, text: text.replace(/^\uFEFF/, '') };
}

/**
 * Document ids are paths or app keys; control characters would corrupt reports and filters, a
 * lone surrogate cannot be stored as UTF-8, and an id of only zero-width marks cannot be read.
 */
export const documentIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(512, 'must be at most 512 characters')
  .superRefine((value, context) => {
    const issue = (message: string) => context.addIssue({ code: z.ZodIssueCode.custom, message });
    if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) issue('must not contain control characters');
    else if (!isWellFormedText(value)) issue('must be valid Unicode (it holds a lone surrogate)');
    else if (value !== '' && !hasVisibleText(value)) issue('must contain visible text');
  });

/** Inline text in workflow input lands in history, so the whole request is capped. */
export const maxInlineCharacters = 1_000_000;

/**
 * A document sent by the client instead of read from disk (uploads and streaming updates use this). A
 * JSON-lines text is a collection: each record becomes `<documentId>#<record id>`, as when read by path.
 */
const isBase64 = (text: string): boolean => {
  const compact = text.replace(/\s+/g, '');
  return compact !== '' && compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
};

export const inlineDocumentSchema = z.object({
  documentId: documentIdSchema,
  /** The document's text; for a `pdf` or `docx`, the file's bytes in base64. */
  text: z.string(),
  /** @default 'markdown' */
  format: documentFormatSchema.optional(),
  /** Shown in citations; defaults to the document id without its extension. */
  title: z.string().max(512, 'must be at most 512 characters').superRefine(refineVisibleText).optional(),
}).superRefine((document, context) => {
  if (document.format && binaryFormats.has(document.format) && !isBase64(document.text)) {
    context.addIssue({
      code: 'custom', path: ['text'], message: `for a ${document.format}, text must be the file's bytes in base64`,
    });
  }
});

export type InlineDocument = z.infer<typeof inlineDocumentSchema>;

/** Ingest files under a folder and/or inline documents into the tenant's store. */
export const ingestRequestSchema = z
  .object({
    tenant: identifierSchema,
    /** Business id of this ingest run; part of the workflow id. */
    ingestId: identifierSchema,
    /** Absolute path of a folder (or a single file) readable by the orchestration worker. */
    path: z
      .string()
      .min(1, 'must not be empty')
      .refine((value) => value.startsWith('/'), 'must be an absolute path')
      .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
      .optional(),
    documents: z.array(inlineDocumentSchema).max(1000, 'at most 1000 inline documents per request').optional(),
  })
  .refine((request) => request.path !== undefined || (request.documents?.length ?? 0) > 0, {
    message: 'give a path or at least one document',
    path: ['path'],
  })
  .refine(
    (request) =>
      (request.documents ?? []).reduce((sum, document) => sum + document.text.length, 0) <= maxInlineCharacters,
    {
      message:
        `inline documents may hold at most ${maxInlineCharacters} characters in all; ingest larger corpora from a path`,
      path: ['documents'],
    },
  );
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
  /** Why a document was skipped: empty, not UTF-8, too large, unknown format… */
  reason: z.string().optional(),
  /** Chunks of an older version of the document that were removed. */
  replacedChunks: z.number().int().nonnegative().optional(),
  /** For a JSON-lines file: records ingested as documents of their own (`<file>#<id>`). */
  records: z.number().int().nonnegative().optional(),
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
  /** True when `documents` lists only skipped documents (large corpora keep the report bounded). */
  documentsTruncated: z.boolean().optional(),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;

/** Remove documents (all their chunks) from the tenant's store. */
export const deleteDocumentsRequestSchema = z.object({
  tenant: identifierSchema,
  requestId: identifierSchema,
  documentIds: z.array(documentIdSchema).min(1, 'name at least one document').max(1000),
});
export type DeleteDocumentsRequest = z.infer<typeof deleteDocumentsRequestSchema>;

export const deleteDocumentsResultSchema = z.object({
  documents: z.array(z.object({ documentId: z.string(), deletedChunks: z.number().int().nonnegative() })),
  deletedChunks: z.number().int().nonnegative(),
});
export type DeleteDocumentsResult = z.infer<typeof deleteDocumentsResultSchema>;

/** One page of the files under an ingest path (large folders are listed page by page). */
export const sourceFilePageSchema = z.object({
  files: z.array(sourceFileSchema),
  /** Files under the path in all, so progress has a total from the first page. */
  totalFiles: z.number().int().nonnegative(),
});
export type SourceFilePage = z.infer<typeof sourceFilePageSchema>;

/**
 * What an ingest carries into its next run when it continues as new (large corpora), so the
 * history of each run stays bounded. Internal to the workflow; clients never send it.
 */
export const ingestContinuationSchema = z.object({
  /** Index of the next file to list. */
  nextFile: z.number().int().nonnegative(),
  /** Inline documents the first run ingested (they count towards the total). */
  inlineDocuments: z.number().int().nonnegative(),
  progress: ingestProgressSchema,
  outcomes: z.array(documentOutcomeSchema),
  documentsTruncated: z.boolean(),
  ingestedDocuments: z.number().int().nonnegative(),
  skippedDocuments: z.number().int().nonnegative(),
});
export type IngestContinuation = z.infer<typeof ingestContinuationSchema>;

/** Batch sizes of a large ingest; the defaults suit most corpora (operators and tests may override). */
export const ingestTuningSchema = z.object({
  /** Files listed per listing activity. @default 500 */
  pageSize: z.number().int().min(1).max(2000).optional(),
  /** Corpora with more files than this fan out to child workflows. @default 200 */
  childThreshold: z.number().int().nonnegative().optional(),
  /** Files per child workflow. @default 100 */
  filesPerChild: z.number().int().min(1).max(500).optional(),
  /** Pages one run handles before it continues as new. @default 4 */
  pagesPerRun: z.number().int().min(1).max(100).optional(),
});
export type IngestTuning = z.infer<typeof ingestTuningSchema>;

/** What ingestWorkflow accepts: a request, plus the carried state when it continued as new. */
export const ingestWorkflowInputSchema = z.intersection(
  ingestRequestSchema,
  z.object({ continuation: ingestContinuationSchema.optional(), tuning: ingestTuningSchema.optional() }),
);
export type IngestWorkflowInput = z.infer<typeof ingestWorkflowInputSchema>;

/** Input of ingestBatchWorkflow (a child of ingestWorkflow for one batch of files). */
export const ingestBatchInputSchema = z.object({
  tenant: identifierSchema,
  files: z.array(sourceFileSchema).min(1),
});
export type IngestBatchInput = z.infer<typeof ingestBatchInputSchema>;
