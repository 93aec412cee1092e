import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { devServerArgs, type DevServerOptions } from '../temporal-config/dev-server';
import { temporalCliPath } from '../temporal-config/temporal-binary';
import {
  findOrphanedDevServer, isProcessAlive, processCommandLine, removeDevServerPidRecord, stopProcess,
  writeDevServerPidRecord,
} from './dev-server-pid-file';

/** How long the server has to shut down after SIGTERM before it gets SIGKILL. */
const stopGraceMs = 10_000;
/** Starts tried when the server crashes during start-up (see DevServerStartError). */
const startAttempts = 3;
const watchdogPath = join(__dirname, 'dev-server-watchdog.cjs');

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  /** The Temporal dev server's pid. */
  pid: number;
  /**
   * The watchdog that runs the server (workers/dev-server-watchdog.cjs) and stops it when this process
   * dies; it exits as the server did (same exit code or signal).
   */
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash would (no shutdown, no flush), and waits for it to exit. */
  kill(): Promise<void>;
}

/** Whether a Temporal frontend answers on `address`. */
export async function isServing(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '1 second' });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/**
 * The dev server exited before it served. `retryable` when it crashed (a Go panic) rather than refused with
 * an `Error:` line: it picks free ports for its internal services before binding them, and a parallel start
 * can take one in between, which it reports by panicking.
 */
export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** Waits until the frontend answers, or the process dies, or the deadline passes. */
async function waitUntilServing(
  address: string,
  child: ChildProcess,
  output: { recent: string[]; panic?: string },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const status = child.exitCode !== null ? `with code ${child.exitCode}` : `by ${child.signalCode}`;
      const refusal = output.recent.find((line) => line.startsWith('Error:'));
      const reason = refusal ?? output.panic ?? output.recent.slice(-3).join(' | ');
      throw new DevServerStartError(`Temporal dev server exited ${status} during start-up: ${reason}`, !refusal);
    }
    if (await isServing(address)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal dev server did not answer on ${address} within ${timeoutMs} ms`);
}

/** The server's pid, which the watchdog sends as its first line on fd 3; rejects if it cannot start it. */
function serverPidOf(watchdog: ChildProcess): Promise<number> {
  return new Promise((resolvePid, reject) => {
    const onExit = () => reject(new Error('the dev server watchdog exited before starting the server'));
    watchdog.once('exit', onExit);
    const lines = createInterface({ input: watchdog.stdio[3] as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      watchdog.removeListener('exit', onExit);
      const message = JSON.parse(line) as { pid?: number; error?: string };
      if (message.pid) resolvePid(message.pid);
      else reject(new Error(message.error ?? `unexpected message from the dev server watchdog: ${line}`));
    });
  });
}

/**
 * Stops an orphaned dev server on the same SQLite file (left by a Sluice that was killed with its
 * watchdog), so this start can take its place; then refuses if the address is still served.
 */
async function clearTheWay(
  address: string, dbFilename: string | undefined, onNotice: (message: string) => void,
): Promise<void> {
  const orphan = dbFilename ? findOrphanedDevServer(dbFilename, temporalCliPath()) : undefined;
  if (orphan) {
    onNotice(
      `stopping a Temporal dev server left running by an earlier Sluice (pid ${orphan.pid}, ${orphan.address}, ` +
        `${orphan.dbFilename}) and starting a fresh one`,
    );
    await stopProcess(orphan.pid, stopGraceMs);
  }
  // Otherwise readiness polling would talk to the other server while ours fails to bind.
  if (await isServing(address)) {
    throw new Error(`a Temporal server is already serving on ${address}; stop it or choose another address`);
  }
}

/**
 * Starts the Temporal CLI dev server and waits until it serves. The server runs under a watchdog that
 * stops it when this process ends in any way (SIGKILL included); with a SQLite file, a pid file beside it
 * lets the next start replace a server orphaned all the same. `onNotice` gets that start's one line.
 */
export async function startDevServer(
  options: DevServerOptions = {},
  onOutput?: (line: string) => void,
  onNotice: (message: string) => void = (message) => process.stderr.write(`sluice: ${message}\n`),
): Promise<RunningDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(options, onOutput, onNotice);
    } catch (error) {
      if (!(error instanceof DevServerStartError && error.retryable) || attempt >= startAttempts) throw error;
      onNotice(`${error.message}; starting it again (attempt ${attempt + 1} of ${startAttempts})`);
    }
  }
}

async function startDevServerOnce(
  options: DevServerOptions,
  onOutput: ((line: string) => void) | undefined,
  onNotice: (message: string) => void,
): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const address = `${ip}:${port}`;
  // Absolute, so the pid file and the server's command line name the file the same way from any folder.
  const dbFilename = options.dbFilename === undefined ? undefined : resolve(options.dbFilename);
  await clearTheWay(address, dbFilename, onNotice);
  const binary = temporalCliPath();
  // Own process group for the watchdog and the server: a terminal's Ctrl-C reaches only Sluice, which
  // drains its workers first and then stops the server itself.
  const child = spawn(
    process.execPath,
    [watchdogPath, String(stopGraceMs), binary, ...devServerArgs({ ...options, dbFilename })],
    { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true },
  );
  const output: { recent: string[]; panic?: string } = { recent: [] };
  const forward = (chunk: Buffer) =>
    chunk.toString().split('\n').filter(Boolean).forEach((line) => {
      output.recent.push(line);
      if (output.recent.length > 20) output.recent.shift();
      if (line.startsWith('panic:')) output.panic ??= line;
      onOutput?.(line);
    });
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  // The watchdog's stdin is its lifeline; a write error only means it has gone.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const pid = await serverPidOf(child);
  if (dbFilename) {
    const ownerCommand = processCommandLine(process.pid)?.join('\0');
    const watchdogPid = child.pid!;
    writeDevServerPidRecord({ pid, watchdogPid, ownerPid: process.pid, ownerCommand, address, dbFilename, binary });
    // A watchdog killed outright may leave the server running: then the record must stay for the next start.
    void exited.then(() => !isProcessAlive(pid) && removeDevServerPidRecord(dbFilename, pid));
  }
  const isDone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (isDone()) {
      // The watchdog was killed outright: stop its orphan here.
      if (isProcessAlive(pid)) await stopProcess(pid, stopGraceMs);
      return;
    }
    // Closing the lifeline is the watchdog's cue: SIGTERM, then SIGKILL after the grace period.
    child.stdin?.end();
    const backstop = setTimeout(() => {
      signalProcess(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }, stopGraceMs + 5_000);
    await exited;
    clearTimeout(backstop);
  };
  const kill = async () => {
    if (isDone()) {
      if (isProcessAlive(pid)) await stopProcess(pid, 0, 'SIGKILL');
      return;
    }
    signalProcess(pid, 'SIGKILL');
    await exited;
  };
  try {
    await waitUntilServing(address, child, output, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const uiUrl = options.uiPort === null ? undefined : `http://${ip}:${options.uiPort ?? 8233}`;
  return { address, uiUrl, pid, process: child, stop, kill };
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
