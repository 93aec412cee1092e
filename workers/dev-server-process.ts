import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { devServerArgs, type DevServerOptions } from '../temporal-config/dev-server';
import { temporalCliPath } from '../temporal-config/temporal-binary';

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash would (no shutdown, no flush), and waits for it to exit. */
  kill(): Promise<void>;
}

/** Waits until the frontend answers, or the process dies, or the deadline passes. */
async function isServing(address: string): Promise<boolean> {
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

async function waitUntilServing(
  address: string,
  child: ChildProcess,
  recentOutput: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `Temporal dev server exited with code ${child.exitCode} during start-up: ${recentOutput.slice(-3).join(' | ')}`,
      );
    }
    if (await isServing(address)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal dev server did not answer on ${address} within ${timeoutMs} ms`);
}

/** Starts the Temporal CLI dev server as a child process and waits until it serves. */
export async function startDevServer(
  options: DevServerOptions = {},
  onOutput?: (line: string) => void,
): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const address = `${ip}:${port}`;
  // Otherwise readiness polling would talk to the other server while ours fails to bind.
  if (await isServing(address)) {
    throw new Error(`a Temporal server is already serving on ${address}; stop it or choose another address`);
  }
  // Own process group: a terminal's Ctrl-C reaches only Sluice, which drains its workers
  // first and then stops the server itself.
  const child = spawn(temporalCliPath(), devServerArgs(options), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const recentOutput: string[] = [];
  const forward = (chunk: Buffer) =>
    chunk.toString().split('\n').filter(Boolean).forEach((line) => {
      recentOutput.push(line);
      if (recentOutput.length > 20) recentOutput.shift();
      onOutput?.(line);
    });
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    process.removeListener('exit', killOnExit);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
    process.removeListener('exit', killOnExit);
  };
  try {
    await waitUntilServing(address, child, recentOutput, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const uiUrl = options.uiPort === null ? undefined : `http://${ip}:${options.uiPort ?? 8233}`;
  return { address, uiUrl, process: child, stop, kill };
}
