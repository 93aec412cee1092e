// Processes of the fault and load tests: a Temporal dev server whose output stays off the test's,
// and an orchestration worker in a child process (answer-worker-process.ts) that a test can kill.
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { everyTenant, ingestRootsVariable } from '../../contracts/ingest-roots';
import type { DevServerOptions } from '../../temporal-config/dev-server';
import { startDevServer, type RunningDevServer } from '../../workers/dev-server-process';
import { freePort } from '../../workers/free-port';
import { projectRoot, waitFor, withDeadline } from './load-helpers';

/** A Temporal dev server (as `npm start` runs it, output kept off the test's) and a client of it. */
export interface QuietServer {
  server: RunningDevServer;
  address: string;
  connection: Connection;
  client: Client;
  /** Closes the client and stops the server. */
  stop(): Promise<void>;
}

/**
 * Starts the dev server on a free port (in memory, or on `dbFilename`), headless, its log lines
 * kept back: under load it logs every internally retried write, which would bury the test's report.
 */
export async function startQuietServer(
  options: Pick<DevServerOptions, 'dbFilename' | 'port'> = {},
): Promise<QuietServer> {
  const port = options.port ?? (await freePort());
  const server = await startDevServer({ ...options, port, uiPort: null }, () => undefined);
  const connection = await Connection.connect({ address: server.address });
  return {
    server, address: server.address, connection, client: new Client({ connection }),
    async stop() {
      await connection.close();
      await server.stop();
    },
  };
}

/** VmRSS of a process, in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

/** A worker (test/faults/answer-worker-process.ts) running in a child process. */
export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  identity: string;
  /** Every line it printed on stdout. */
  lines: string[];
  /** Chunks it upserted for `tenant`, from its `upserted` lines. */
  upserted(tenant: string): number;
  /** SIGKILL, as a crash would (no drain, no close), and waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM: drains, closes the store, exits; SIGKILL if it has not exited within 30 s. */
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  address: string;
  dataDir: string;
  /** Folders every tenant may ingest from by path (besides nothing else). */
  ingestRoots: string[];
  /** Extra environment (e.g. SLUICE_WORKFLOW_BUNDLE for a bench). */
  environment?: Record<string, string>;
  /** How long start-up may take before it counts as failed. @default 60 s */
  startTimeoutMs?: number;
}

export const isExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

function exitOf(child: ChildProcess): Promise<void> {
  return isExited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** `kill` (SIGKILL, as a crash) and `stop` (SIGTERM, SIGKILL after 30 s) for a child process, each awaited. */
export function processControls(child: ChildProcess, label: string): { kill(): Promise<void>; stop(): Promise<void> } {
  const killed = async () => {
    const exited = exitOf(child);
    child.kill('SIGKILL');
    await withDeadline(exited, 10_000, `${label} ${child.pid} exits after SIGKILL`);
  };
  return {
    kill: killed,
    async stop() {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      try {
        await withDeadline(exited, 30_000, `${label} ${child.pid} exits after SIGTERM`);
      } catch {
        await killed();
      }
    },
  };
}

/** Starts the worker process and resolves once it polls; rejects if it exits or is not ready in time. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const script = join(__dirname, 'answer-worker-process.ts');
  // node itself with tsx as a loader, so SIGKILL hits the worker and not a wrapper process.
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env: {
      ...process.env,
      SLUICE_TEMPORAL_ADDRESS: options.address,
      SLUICE_DATA_DIR: options.dataDir,
      // The hashing embedder: these tests are about durability, not embedding quality; it saves CPU.
      SLUICE_EMBEDDER: 'hashing',
      [ingestRootsVariable]: JSON.stringify({ [everyTenant]: options.ingestRoots }),
      ...options.environment,
    },
    // stdin is the worker's lifeline (never written): it exits when this process dies.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin!.on('error', () => undefined);
  const lines: string[] = [];
  const upserts = new Map<string, number>();
  let partial = '';
  let identity: string | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete.filter(Boolean)) {
      lines.push(line);
      const [kind, first, second] = line.split(' ');
      if (kind === 'ready') identity = first;
      if (kind === 'upserted' && first) upserts.set(first, (upserts.get(first) ?? 0) + Number(second));
    }
  });
  const process_: WorkerProcess = {
    child,
    pid: child.pid!,
    get identity() {
      return identity ?? '';
    },
    lines,
    upserted: (tenant) => upserts.get(tenant) ?? 0,
    ...processControls(child, 'worker process'),
  };
  try {
    await waitFor(
      () => {
        if (isExited(child)) throw new Error(`worker process exited during start-up (code ${child.exitCode})`);
        return identity !== undefined;
      },
      'worker process polls',
      options.startTimeoutMs ?? 60_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return process_;
}
