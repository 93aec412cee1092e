// Starts test/faults/llm-worker-process.ts (an OpenAI-protocol provider worker) as a child process that
// a test can SIGKILL, and reads back the cost records its recorder appended to a file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CostRecord } from '../../activities/models/cost-recorder';
import { projectRoot, waitFor } from './load-helpers';
import { isExited, processControls } from './processes';

/** One line of the cost file: the record and the process that wrote it. */
export interface CostLine extends CostRecord {
  pid: number;
}

export interface ProviderWorkerChild {
  child: ChildProcess;
  pid: number;
  /** SIGKILL, as a crash would (no drain), and waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (drain, exit); SIGKILL if it has not exited within 30 s. */
  stop(): Promise<void>;
}

export interface ProviderWorkerChildOptions {
  address: string;
  costFile: string;
  openAIBaseUrl: string;
  anthropicBaseUrl: string;
  /** Write every cost record twice (self-check). */
  doubleRecord?: boolean;
  /** @default 90 s (tsx compiles the worker on a loaded machine) */
  startTimeoutMs?: number;
}


/** Spawns the provider worker and resolves once it polls; rejects if it exits or is not ready in time. */
export async function startProviderWorkerChild(options: ProviderWorkerChildOptions): Promise<ProviderWorkerChild> {
  const script = join(__dirname, 'llm-worker-process.ts');
  // node itself with tsx as a loader, so SIGKILL hits the worker and not a wrapper process.
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env: {
      ...process.env,
      SLUICE_TEMPORAL_ADDRESS: options.address,
      PROVIDER_WORKER_COST_FILE: options.costFile,
      PROVIDER_WORKER_OPENAI_URL: options.openAIBaseUrl,
      PROVIDER_WORKER_ANTHROPIC_URL: options.anthropicBaseUrl,
      PROVIDER_WORKER_DOUBLE_RECORD: options.doubleRecord ? '1' : '0',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin!.on('error', () => undefined);
  let ready = false;
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const complete = (partial + chunk.toString()).split('\n');
    partial = complete.pop() ?? '';
    if (complete.some((line) => line.startsWith('ready '))) ready = true;
  });
  const worker: ProviderWorkerChild = {
    child,
    pid: child.pid!,
    ...processControls(child, 'provider worker'),
  };
  try {
    await waitFor(() => {
      if (isExited(child)) throw new Error(`provider worker exited during start-up (code ${child.exitCode})`);
      return ready;
    }, `provider worker ${child.pid} polls`, options.startTimeoutMs ?? 90_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return worker;
}

/** Every cost line written to `path` so far (none if the file does not exist). */
export function readCostLines(path: string): CostLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as CostLine);
}
