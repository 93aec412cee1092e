import { constants, type Dirent, type Stats } from 'node:fs';
import { lstat, open, readdir, stat, statfs } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import {
  binaryFormats, decodeSourceText, formatOf, type DocumentFormat, type SourceFile,
} from '../../contracts/ingest';

/** Files above this size are skipped with a reason rather than loaded into memory. */
export const maxSourceBytes = 5 * 1024 * 1024;
/** JSON-lines files hold many documents, so they may be larger. */
export const maxJsonLinesBytes = 64 * 1024 * 1024;
/** Bytes a NUL is looked for in: how git and grep tell binary files from text. */
const binaryProbeBytes = 8192;

/** Thrown when the ingest path does not exist or is not readable. */
export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFound';
}

/**
 * Thrown when the ingest path is neither a regular file nor a folder (a device, FIFO or socket),
 * or lies on a kernel pseudo file system such as /proc: reading it could block, never end, or
 * return kernel state rather than documents. Retrying cannot help.
 */
export class UnreadableSourceError extends Error {
  override readonly name = 'UnreadableSource';
}

/** Linux file systems (statfs magic numbers) whose files are kernel state, not documents. */
const pseudoFileSystems: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x64626720, 'debugfs'], [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'], [0x1cd1, 'devpts'],
  [0xcafe4a11, 'bpf'], [0x62656570, 'configfs'], [0x6165676c, 'pstore'], [0xde5e81e4, 'efivarfs'],
  [0x65735543, 'fusectl'], [0x42494e4d, 'binfmt_misc'],
]);

/** The name of the kernel pseudo file system `path` lies on, if it does. */
async function pseudoFileSystemOf(path: string): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return pseudoFileSystems.get((await statfs(path)).type);
  } catch {
    return undefined;
  }
}

/** What an entry that is not a regular file is, in words for a report. */
function kindOf(entry: Stats | Dirent): string {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  if (entry.isSocket()) return 'a socket';
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isDirectory()) return 'a folder';
  return 'a special file';
}

const errorCode = (error: unknown): unknown => (error as NodeJS.ErrnoException | undefined)?.code;
/** The entry is gone (removed while the walk ran) or a path component is not a folder. */
const isMissing = (error: unknown): boolean => errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR';
const isDenied = (error: unknown): boolean => errorCode(error) === 'EACCES' || errorCode(error) === 'EPERM';

/**
 * Lists the files under `root` (a folder, walked recursively, or one file), sorted for
 * determinism. Hidden files are left out; files of unknown formats, FIFOs, sockets, devices and
 * symbolic links are listed so the ingest report can say why they were skipped (a link is read
 * through the tenant's roots, which resolve it: one to a document inside them is ingested, one
 * leading outside is skipped saying so; links to folders are never walked into). A root that
 * is not a regular file or folder, or is on /proc or /sys, is refused (UnreadableSourceError).
 * Types come from stat and readdir only: nothing is opened while listing, so a FIFO cannot block it.
 */
export async function listSourceFiles(root: string): Promise<SourceFile[]> {
  let rootStat: Stats;
  try {
    rootStat = await stat(root);
  } catch {
    throw new SourceNotFoundError(`${root} does not exist or cannot be read`);
  }
  const pseudo = await pseudoFileSystemOf(root);
  if (pseudo) {
    throw new UnreadableSourceError(
      `${root} cannot be ingested: it is on the kernel's ${pseudo} file system, not a document or folder of documents`,
    );
  }
  if (rootStat.isFile()) return [{ path: root, documentId: basename(root), bytes: rootStat.size }];
  if (!rootStat.isDirectory()) {
    throw new UnreadableSourceError(`${root} cannot be ingested: it is ${kindOf(rootStat)}, not a file or folder`);
  }
  const files: SourceFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      // A subfolder removed while the walk ran is simply gone; an unreadable one will stay so.
      if (folder !== root && isMissing(error)) return;
      if (isMissing(error) || isDenied(error)) throw new SourceNotFoundError(`${folder} cannot be read`);
      throw error;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) {
        // Listed, not followed here: reading resolves it against the tenant's roots (a link to a folder is
        // reported as one, never walked, so a loop of links cannot hold the listing).
        files.push({ path, documentId: relative(root, path), bytes: 0 });
      } else if (entry.isDirectory()) {
        // A pseudo file system mounted inside the folder (/proc under /) holds no documents.
        if (!(await pseudoFileSystemOf(path))) await walk(path);
      } else if (entry.isFile()) {
        let info: Stats;
        try {
          info = await lstat(path);
        } catch (error) {
          if (isMissing(error)) continue;
          throw error;
        }
        files.push({ path, documentId: relative(root, path), bytes: info.size });
      } else {
        // A FIFO, socket or device: listed so the report names it; readSourceText never opens it.
        files.push({ path, documentId: relative(root, path), bytes: 0 });
      }
    }
  };
  await walk(root);
  return files;
}

export type ReadOutcome = { ok: true; text: string; format: DocumentFormat } | { ok: false; reason: string };

/** Why the file at `path` is no document, or undefined for a regular file on a real file system. */
async function notADocument(path: string, info: Stats): Promise<string | undefined> {
  if (!info.isFile()) return `${kindOf(info)}, not a regular file`;
  const pseudo = await pseudoFileSystemOf(path);
  return pseudo ? `a file of the kernel's ${pseudo} file system, not a document` : undefined;
}

/**
 * At most `limit + 1` bytes of a regular file, so a file that grows while read (or reports a
 * false size) cannot exhaust memory; undefined when what was opened is not a regular file.
 */
async function readAtMost(path: string, limit: number): Promise<Buffer | undefined> {
  // Non-blocking: should a FIFO take the file's place after the stat, opening it must not wait.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const parts: Buffer[] = [];
    let total = 0;
    while (total <= limit) {
      const buffer = Buffer.alloc(Math.min(1024 * 1024, limit + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      parts.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(parts, total);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file as strict UTF-8; returns a reason instead of text for files that cannot be
 * ingested. The type is checked (stat) before the file is opened, and again on the open handle.
 * The format goes by `namedAs` (by default the path): a link's own name when the path is its target.
 */
export async function readSourceText(file: SourceFile, namedAs: string = file.path): Promise<ReadOutcome> {
  const known = formatOf(namedAs);
  if ('reason' in known) return { ok: false, reason: known.reason };
  const limit = known.format === 'jsonl' ? maxJsonLinesBytes : maxSourceBytes;
  const tooLarge: ReadOutcome = { ok: false, reason: `larger than ${limit} bytes` };
  let bytes: Buffer | undefined;
  try {
    // The size listed may be stale (or crafted: a batch's file list is workflow input), so stat again.
    const info = await stat(file.path);
    const refused = await notADocument(file.path, info);
    if (refused) return { ok: false, reason: refused };
    if (info.size > limit) return tooLarge;
    bytes = await readAtMost(file.path, limit);
  } catch {
    throw new SourceNotFoundError(`${file.path} cannot be read`);
  }
  if (bytes === undefined) return { ok: false, reason: 'not a regular file' };
  if (bytes.length > limit) return tooLarge;
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  // A PDF or Word file travels as base64 to its parser (parse-document.ts `parseSource`), like an uploaded one.
  if (binaryFormats.has(known.format)) return { ok: true, text: bytes.toString('base64'), format: known.format };
  if (bytes.subarray(0, binaryProbeBytes).includes(0)) return { ok: false, reason: 'binary content' };
  const decoded = decodeSourceText(bytes);
  return decoded.ok ? { ...decoded, format: known.format } : decoded;
}
