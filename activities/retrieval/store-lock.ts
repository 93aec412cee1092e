import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WriteQueue } from './lancedb-tables';

/** The lock file in an embedded store's directory. */
export const storeLockFileName = '.sluice-store.lock';

/** What a lock file records of the process that holds the store. */
export interface StoreLockHolder {
  pid: number;
  hostname: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** Tells this holder's file apart from any other, for the compare-before-delete steps. */
  token: string;
  /** Linux: the holder's start in clock ticks since boot, so a later process given the same pid is not it. */
  processStart?: string;
}

/**
 * Thrown by LanceDbStore.open when another live process holds the store's directory. Each process
 * would keep its own view of the tables and their writes would conflict, so the second one stops.
 */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';

  constructor(readonly directory: string, readonly holder: StoreLockHolder) {
    const remote = holder.hostname !== hostname();
    super(
      `the embedded vector store ${directory} is in use by process ${holder.pid}` +
        `${remote ? ` on ${holder.hostname}` : ''} (since ${holder.startedAt}); it serves one process only — ` +
        'to run several workers, use Qdrant (SLUICE_VECTOR_STORE=qdrant, QDRANT_URL)' +
        (remote ? `; if that process is gone, delete ${join(directory, storeLockFileName)}` : ''),
    );
  }
}

/** Thrown by acquireStoreLock when the lock file kept changing under it (many processes starting at once). */
export class StoreLockContendedError extends Error {
  override readonly name = 'StoreLockContendedError';
}

/** One process's hold on a store directory; `release` is idempotent. */
export interface StoreLock {
  readonly directory: string;
  /** Writes of every store this process opened on the directory, one at a time (commits are optimistic). */
  readonly writes: WriteQueue;
  release(): void;
}

interface HeldLock {
  path: string;
  content: string;
  holds: number;
  writes: WriteQueue;
}

// Keyed by real path: several stores of this process on one directory share its lock (tests, benches).
const held = new Map<string, HeldLock>();
let exitHookInstalled = false;

function parseHolder(content: string): StoreLockHolder | undefined {
  try {
    const value = JSON.parse(content) as Partial<StoreLockHolder>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string') return undefined;
    return {
      pid: value.pid, hostname: value.hostname, startedAt: String(value.startedAt), token: String(value.token),
      ...(typeof value.processStart === 'string' ? { processStart: value.processStart } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Linux only: a process's start time (field 22 of /proc/<pid>/stat) and whether it is a zombie. */
function processStat(pid: number): { start: string; zombie: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields from 3 on follow its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] === undefined ? undefined : { start: fields[19], zombie: fields[0] === 'Z' };
  } catch {
    return undefined;
  }
}

/** Whether the holder may still be running; a process on another host cannot be checked, so it counts as alive. */
function isAlive(holder: StoreLockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  // Our own pid, yet not in `held`: a file left by an earlier process that had this pid.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process not yet reaped by its parent, or another process that was given the pid since.
  const stat = processStat(holder.pid);
  if (stat?.zombie) return false;
  return !(stat && holder.processStart !== undefined && stat.start !== holder.processStart);
}

const readOrUndefined = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const unlinkQuietly = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
};

/**
 * Creates the lock file whole, or returns false when one exists. The content goes to a private
 * file first and is linked into place (exclusive, like O_EXCL), so no reader ever sees a lock file
 * that is still empty and mistakes it for a broken one.
 */
function tryCreate(path: string, content: string): boolean {
  const draft = `${path}.${process.pid}.${randomUUID()}.new`;
  writeFileSync(draft, content, { flag: 'wx' });
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(draft);
  }
}

/**
 * Removes a stale lock file, only if it still holds `stale`. It is renamed aside first (atomic),
 * so two processes taking over at once cannot delete the lock the faster one has just made: one
 * that moved a live lock by mistake puts it back.
 */
function removeStale(path: string, stale: string): void {
  const aside = `${path}.${process.pid}.${randomUUID()}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readOrUndefined(aside) !== stale) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process locked it meanwhile; its lock stands.
    }
  }
  unlinkQuietly(aside);
}

function releaseAllOnExit(): void {
  for (const lock of held.values()) {
    if (readOrUndefined(lock.path) === lock.content) unlinkQuietly(lock.path);
  }
  held.clear();
}

/**
 * Takes the store directory for this process: the first call creates `<directory>/.sluice-store.lock`
 * (pid, host, time); later calls in the same process share it. A lock whose process is dead (killed
 * with SIGKILL, say) is taken over. Throws StoreLockedError while another live process holds it.
 */
export function acquireStoreLock(directory: string): StoreLock {
  mkdirSync(directory, { recursive: true });
  const key = realpathSync(directory);
  let lock = held.get(key);
  if (!lock) {
    const path = join(key, storeLockFileName);
    const content = JSON.stringify({
      pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: randomUUID(),
      processStart: processStat(process.pid)?.start,
    } satisfies StoreLockHolder);
    // A few rounds: each lost race against another starter ends with reading its (live) lock.
    for (let attempt = 0; !lock && attempt < 5; attempt += 1) {
      if (tryCreate(path, content)) {
        lock = { path, content, holds: 0, writes: new WriteQueue() };
        break;
      }
      const existing = readOrUndefined(path);
      if (existing === undefined) continue;
      const holder = parseHolder(existing);
      // An unreadable lock cannot come from a live holder: tryCreate only ever links whole files.
      if (holder && isAlive(holder)) throw new StoreLockedError(directory, holder);
      removeStale(path, existing);
    }
    if (!lock) throw new StoreLockContendedError(`could not take the store lock ${path}: it kept changing`);
    held.set(key, lock);
    if (!exitHookInstalled) {
      // A normal exit frees the directory at once; a killed process leaves a stale lock, taken over later.
      process.on('exit', releaseAllOnExit);
      exitHookInstalled = true;
    }
  }
  lock.holds += 1;
  const taken = lock;
  let released = false;
  return {
    directory: key,
    writes: taken.writes,
    release(): void {
      if (released) return;
      released = true;
      taken.holds -= 1;
      if (taken.holds > 0 || held.get(key) !== taken) return;
      held.delete(key);
      // Only our own file: never one a later holder wrote after a wrongful takeover.
      if (readOrUndefined(taken.path) === taken.content) unlinkQuietly(taken.path);
    },
  };
}
