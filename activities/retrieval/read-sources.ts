import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import type { SourceFile } from '../../contracts/ingest';

/** Extensions the ingest pipeline can parse today. */
export const supportedExtensions = new Set(['.md', '.markdown', '.txt']);
/** Files above this size are skipped with a reason rather than loaded into memory. */
export const maxSourceBytes = 5 * 1024 * 1024;

/** Thrown when the ingest path does not exist or is not readable. */
export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFound';
}

/** Lists supported files under `root` (a folder, walked recursively, or one file), sorted for determinism. */
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
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && supportedExtensions.has(extname(entry.name).toLowerCase())) {
        files.push({ path, documentId: relative(root, path), bytes: (await stat(path)).size });
      }
    }
  };
  await walk(root);
  return files;
}

export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: string };

/** Reads a file as strict UTF-8; returns a reason instead of text for files that cannot be ingested. */
export async function readSourceText(file: SourceFile): Promise<ReadOutcome> {
  if (file.bytes > maxSourceBytes) return { ok: false, reason: `larger than ${maxSourceBytes} bytes` };
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch {
    throw new SourceNotFoundError(`${file.path} cannot be read`);
  }
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
