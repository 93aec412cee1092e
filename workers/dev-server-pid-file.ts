import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

// A dev server started on a SQLite file leaves a pid file beside it (`<db file>.pid`). The watchdog
// (dev-server-watchdog.cjs) stops the server when Sluice dies; if the watchdog died too (SIGKILL to its
// group, the OOM killer), the next start finds the orphan through this file and replaces it.

/** What the pid file beside a dev server's SQLite file records. */
export interface DevServerPidRecord {
  /** The Temporal dev server. */
  pid: number;
  /** The watchdog process that runs it. */
  watchdogPid: number;
  /** The Sluice process that started it; the server is an orphan once this one is gone. */
  ownerPid: number;
  /** The owner's command line (NUL-separated, Linux only), so a reused pid is not taken for the owner. */
  ownerCommand?: string;
  /** Frontend address, `ip:port`. */
  address: string;
  /** Absolute path of the SQLite file. */
  dbFilename: string;
  /** The Temporal CLI binary the server runs. */
  binary: string;
}

/** The pid file for a dev server on `dbFilename`. */
export const devServerPidFile = (dbFilename: string): string => `${dbFilename}.pid`;

/** Writes the record (atomically: a half-written file is never read). */
export function writeDevServerPidRecord(record: DevServerPidRecord): void {
  const file = devServerPidFile(record.dbFilename);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The record for `dbFilename`, or undefined when there is none or it cannot be read. */
export function readDevServerPidRecord(dbFilename: string): DevServerPidRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(devServerPidFile(dbFilename), 'utf8')) as Partial<DevServerPidRecord>;
    if (!Number.isInteger(record.pid) || !Number.isInteger(record.ownerPid)) return undefined;
    return record as DevServerPidRecord;
  } catch {
    return undefined;
  }
}

/** Removes the pid file if it still names server `pid` (a newer start may have replaced it). */
export function removeDevServerPidRecord(dbFilename: string, pid: number): void {
  if (readDevServerPidRecord(dbFilename)?.pid === pid) rmSync(devServerPidFile(dbFilename), { force: true });
}

/** A process's arguments from /proc (Linux); undefined where there is no /proc or no such process. */
export function processCommandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process (a zombie, dead but not yet reaped, is not). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // `… (name) S …`: the state follows the last parenthesis, since the name may hold any character.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Whether `pid` runs `temporal server start-dev` from `binaries` on `dbFilename`, by its /proc command line. */
function isOurDevServer(pid: number, binaries: readonly string[], dbFilename: string): boolean {
  const argv = processCommandLine(pid);
  if (!argv || !binaries.includes(argv[0] ?? '') || argv[1] !== 'server' || argv[2] !== 'start-dev') return false;
  const dbFlag = argv.indexOf('--db-filename');
  return dbFlag > 0 && argv[dbFlag + 1] === dbFilename;
}

/** Whether the Sluice process that wrote the record is still running (same pid, same command line). */
function ownerIsAlive(record: DevServerPidRecord): boolean {
  if (!isProcessAlive(record.ownerPid)) return false;
  const command = processCommandLine(record.ownerPid);
  return !record.ownerCommand || !command || command.join('\0') === record.ownerCommand;
}

/**
 * The dev server named by the pid file beside `dbFilename` when it is an orphan left by an earlier
 * Sluice: alive, our binary (by /proc command line) on the same SQLite file, and its owner gone. Returns
 * undefined in every other case, including a server a live Sluice owns and systems without /proc.
 */
export function findOrphanedDevServer(dbFilename: string, binary: string): DevServerPidRecord | undefined {
  const record = readDevServerPidRecord(dbFilename);
  if (!record || record.dbFilename !== dbFilename || !isProcessAlive(record.pid)) return undefined;
  if (!isOurDevServer(record.pid, [binary, record.binary], dbFilename)) return undefined;
  return ownerIsAlive(record) ? undefined : record;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Stops a process that is not our child: `first` (SIGTERM), SIGKILL after `graceMs` if it still runs, and
 * waits until it is gone.
 */
export async function stopProcess(pid: number, graceMs: number, first: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  };
  signal(first);
  if (await waitForExit(pid, graceMs)) return;
  signal('SIGKILL');
  if (!(await waitForExit(pid, 5_000))) throw new Error(`process ${pid} did not exit after SIGKILL`);
}
