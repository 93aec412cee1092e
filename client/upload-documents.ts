import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import {
  binaryFormats, decodeSourceText, formatOf, maxInlineCharacters, type DocumentOutcome, type IngestProgress,
  type IngestResult, type InlineDocument,
} from '../contracts/ingest';
import { InvalidRequestError } from './errors';
import type { IngestRun } from './sluice-client';

// For a worker on another host (or one that may not read the caller's folders), the client reads
// the files itself and sends their text inline. Only the caller's own read rights apply.

/** One upload request stays well under Temporal's 2 MB payload limit. */
export const maxUploadBytes = 1024 * 1024;

/** Documents read from a local folder, in requests small enough to send, and the files left out. */
export interface LocalDocuments {
  batches: InlineDocument[][];
  skipped: DocumentOutcome[];
}

const skip = (documentId: string, reason: string): DocumentOutcome => ({
  documentId, status: 'skipped', chunks: 0, reason,
});

/**
 * Files under `root` as [path, document id], sorted, with the entries left out and why. Hidden entries are left
 * out silently. Symbolic links are reported and never followed: a folder from elsewhere could hold a link to the
 * caller's own secrets (`notes.md -> ~/.aws/credentials`), which the upload would otherwise send.
 */
async function listLocalFiles(root: string): Promise<{ files: [string, string][]; skipped: DocumentOutcome[] }> {
  const rootStat = await stat(root).catch(() => {
    throw new InvalidRequestError(`${root} does not exist or cannot be read`);
  });
  if (rootStat.isFile()) return { files: [[root, basename(root)]], skipped: [] };
  const files: [string, string][] = [];
  const skipped: DocumentOutcome[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder, { withFileTypes: true }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) {
        skipped.push(skip(relative(root, path), 'a symbolic link: not followed by an upload (it could lead anywhere)'));
      } else if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push([path, relative(root, path)]);
    }
  };
  await walk(root);
  return { files, skipped };
}

/** One file as an inline document, or why it cannot be uploaded (same reasons as a worker's read). */
async function readLocalDocument(path: string, documentId: string): Promise<InlineDocument | DocumentOutcome> {
  const known = formatOf(path);
  if ('reason' in known) return skip(documentId, known.reason);
  const bytes = await readFile(path);
  if (bytes.length > maxUploadBytes) {
    return skip(documentId, `larger than the ${maxUploadBytes}-byte upload limit; ingest it by path`);
  }
  // A PDF or Word file is read by the worker; it travels as base64, a third larger.
  if (binaryFormats.has(known.format)) {
    const encoded = bytes.toString('base64');
    return encoded.length > Math.min(maxUploadBytes, maxInlineCharacters)
      ? skip(documentId, `larger than the upload limit in base64 (${encoded.length} characters); ingest it by path`)
      : { documentId, text: encoded, format: known.format };
  }
  const decoded = decodeSourceText(bytes);
  return decoded.ok ? { documentId, text: decoded.text, format: known.format } : skip(documentId, decoded.reason);
}

/** Reads the documents under a local folder (or one file) and groups them into upload requests. */
export async function readLocalDocuments(root: string): Promise<LocalDocuments> {
  const batches: InlineDocument[][] = [];
  const skipped: DocumentOutcome[] = [];
  let current: InlineDocument[] = [];
  let currentBytes = 0;
  let currentCharacters = 0;
  const listing = await listLocalFiles(root);
  skipped.push(...listing.skipped);
  for (const [path, documentId] of listing.files) {
    const read = await readLocalDocument(path, documentId);
    if ('status' in read) {
      skipped.push(read);
      continue;
    }
    const bytes = Buffer.byteLength(read.text);
    const full = currentBytes + bytes > maxUploadBytes ||
      currentCharacters + read.text.length > maxInlineCharacters ||
      current.length >= 1000;
    if (current.length && full) {
      batches.push(current);
      current = [];
      currentBytes = 0;
      currentCharacters = 0;
    }
    current.push(read);
    currentBytes += bytes;
    currentCharacters += read.text.length;
  }
  if (current.length) batches.push(current);
  return { batches, skipped };
}

/**
 * One IngestRun over the runs of an upload: progress and results summed, and the files skipped
 * before upload listed first. With no run (nothing to upload) it reports the skipped files alone.
 */
export function combineIngestRuns(runs: readonly IngestRun[], skipped: readonly DocumentOutcome[]): IngestRun {
  const first = runs[0];
  return {
    workflowId: first?.workflowId ?? '',
    uiUrl: first?.uiUrl ?? '',
    async progress(): Promise<IngestProgress> {
      const each = await Promise.all(runs.map((run) => run.progress()));
      return {
        totalDocuments: skipped.length + each.reduce((sum, progress) => sum + progress.totalDocuments, 0),
        processedDocuments: skipped.length + each.reduce((sum, progress) => sum + progress.processedDocuments, 0),
        chunks: each.reduce((sum, progress) => sum + progress.chunks, 0),
      };
    },
    async result(): Promise<IngestResult> {
      const each = await Promise.all(runs.map((run) => run.result()));
      return {
        documents: [...skipped, ...each.flatMap((result) => result.documents)],
        ingestedDocuments: each.reduce((sum, result) => sum + result.ingestedDocuments, 0),
        skippedDocuments: skipped.length + each.reduce((sum, result) => sum + result.skippedDocuments, 0),
        chunks: each.reduce((sum, result) => sum + result.chunks, 0),
        ...(each.some((result) => result.documentsTruncated) ? { documentsTruncated: true } : {}),
      };
    },
  };
}
