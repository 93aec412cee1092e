import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { decodeSourceText, formatOf, type DocumentFormat, type SourceFile } from '../../contracts/ingest';

/** Files above this size are skipped with a reason rather than loaded into memory. */
export const maxSourceBytes = 5 * 1024 * 1024;
/** JSON-lines files hold many documents, so they may be larger. */
export const maxJsonLinesBytes = 64 * 1024 * 1024;

/** Thrown when the ingest path does not exist or is not readable. */
export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFound';
}

/**
 * Lists the files under `root` (a folder, walked recursively, or one file), sorted for
 * determinism. Hidden files are left out; files of unknown formats are listed so the ingest
 * report can say why they were skipped.
 */
export async function listSourceFiles(root: string): Promise<SourceFile[]> {
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch {
    throw new SourceNotFoundError(`${root} does not exist or cannot be read`);
  }
  if (rootStat.isFile()) return [{ path: root, documentId: basename(root), bytes: rootStat.size }];
  const files: SourceFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push({ path, documentId: relative(root, path), bytes: (await stat(path)).size });
    }
  };
  await walk(root);
  return files;
}

export type ReadOutcome = { ok: true; text: string; format: DocumentFormat } | { ok: false; reason: string };

/** A NUL byte in the first 8 KiB is how git and grep tell binary files from text. */
async function looksBinary(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

/** Reads a file as strict UTF-8; returns a reason instead of text for files that cannot be ingested. */
export async function readSourceText(file: SourceFile): Promise<ReadOutcome> {
  const known = formatOf(file.path);
  if ('reason' in known) return { ok: false, reason: known.reason };
  const limit = known.format === 'jsonl' ? maxJsonLinesBytes : maxSourceBytes;
  if (file.bytes > limit) return { ok: false, reason: `larger than ${limit} bytes` };
  if (file.bytes === 0) return { ok: false, reason: 'empty' };
  let bytes: Buffer;
  try {
    if (await looksBinary(file.path)) return { ok: false, reason: 'binary content' };
    bytes = await readFile(file.path);
  } catch {
    throw new SourceNotFoundError(`${file.path} cannot be read`);
  }
  const decoded = decodeSourceText(bytes);
  return decoded.ok ? { ...decoded, format: known.format } : decoded;
}
