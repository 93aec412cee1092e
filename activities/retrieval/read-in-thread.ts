import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

// Binary documents (PDF, Word) are read by third-party parsers in a worker thread of their own: a large or
// hostile file (a zip bomb, a PDF that loops) can then neither stall the activity worker's event loop, which
// heartbeats, nor sink its heap, and is stopped at a time limit. The thread scripts are plain CommonJS
// beside this file (pdf-text-worker.cjs, docx-html-worker.cjs); each replies with one message.

/** How long a file may take to read and how much heap its thread may use, before it counts as unreadable. */
export interface ThreadReadLimits {
  /** @default 60000 */
  timeoutMs?: number;
  /** @default 512 */
  heapMb?: number;
}

export type ThreadReply<T> = ({ ok: true } & T) | { ok: false; reason: string };

/** Runs `script` on a copy of `bytes` (and `settings`) in a thread stopped at the limits; `kind` names the file. */
export function readInThread<T>(
  script: string, kind: string, bytes: Uint8Array, settings: Record<string, unknown>, limits: ThreadReadLimits = {},
): Promise<ThreadReply<T>> {
  const { timeoutMs = 60_000, heapMb = 512 } = limits;
  return new Promise((resolve) => {
    const copy = new Uint8Array(bytes);
    const worker = new Worker(join(__dirname, script), {
      workerData: { ...settings, bytes: copy }, transferList: [copy.buffer],
      // Plain CommonJS: without the parent's flags the thread does not load the TypeScript loader.
      execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    const settle = (reply: ThreadReply<T>) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(reply);
    };
    const tooSlow = `${kind} took longer than ${timeoutMs / 1000} s to read`;
    const timer = setTimeout(() => settle({ ok: false, reason: tooSlow }), timeoutMs);
    worker.once('message', settle);
    // Out of memory or a crash inside the parser: the file is the problem, not the worker.
    worker.once('error', () => settle({ ok: false, reason: `not a readable ${kind} (reading it failed)` }));
  });
}
