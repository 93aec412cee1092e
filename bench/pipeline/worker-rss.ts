// Memory of a standalone orchestration worker (workers/orchestration.ts, MiniLM embedder loaded),
// measured in its own process: RSS after start-up, after ingesting the sample corpus, and after
// answering questions; peak RSS too; and the start-up time, from spawn to polling. The worker starts as
// deployed, through workers/start-orchestration.sh (its memory settings), compiled first by
// scripts/build-worker.mjs as a deployment would; `--source` runs the script on the sources through tsx
// instead, and `--plain` starts `node --import tsx` with no settings.
// Usage: npx tsx bench/pipeline/worker-rss.ts [answers] [--source | --plain] [--mappings] [--rerank]  (JSON lines)
// --rerank: the worker's default route reranks every answer (`rerank: true`), so the late-interaction
// model is loaded; without it these questions never trigger the default `rerank: 'uncertain'`.
// --idle N: one more line after the worker has been idle N seconds (with SLUICE_RERANK_IDLE_UNLOAD_S below N,
// the reranker has been closed by then).
// --mappings: after the answers, one more line with the resident MiB of each mapped file (node, LanceDB,
// onnxruntime, Temporal's core) and of anonymous memory, from /proc/<pid>/smaps.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineCatalog } from '../../contracts/model-catalog';
import { taskQueues } from '../../contracts/task-queues';
import { workflowTypes } from '../../contracts/workflow-types';
import { startBenchServer } from '../bench-server';

const plain = process.argv.includes('--plain');
const fromSource = process.argv.includes('--source');
const start = plain ? 'plain' : fromSource ? 'script, sources' : 'script, compiled';
const mappings = process.argv.includes('--mappings');
const rerank = process.argv.includes('--rerank');
const idleIndex = process.argv.indexOf('--idle');
const idleSeconds = idleIndex < 0 ? 0 : Number(process.argv[idleIndex + 1]);

/** A catalog file whose default route reranks every answer, for `--rerank`. */
function rerankingCatalogFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-rss-catalog-')), 'catalog.json');
  const routes = { ...offlineCatalog.routes, default: { ...offlineCatalog.routes.default!, rerank: true } };
  writeFileSync(path, JSON.stringify({ ...offlineCatalog, routes }));
  return path;
}
const answers = Number(process.argv[2] !== undefined && !process.argv[2].startsWith('--') ? process.argv[2] : 50);
const root = join(__dirname, '..', '..');

/**
 * VmRSS and VmHWM (peak) of a process, in MiB, from /proc; RSS split into anonymous memory (heaps,
 * buffers) and file-backed pages (mostly the code of node and the native libraries, which the kernel
 * can drop and read back).
 */
function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number; anonMiB: number; fileMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  const mib = (field: string) => Math.round(kib(field) / 1024);
  return { rssMiB: mib('VmRSS'), peakRssMiB: mib('VmHWM'), anonMiB: mib('RssAnon'), fileMiB: mib('RssFile') };
}

/** Resident MiB per mapped file (anonymous mappings and [heap] summed as `anonymous`), largest first. */
function residentByMapping(pid: number, top = 8): Record<string, number> {
  const byName = new Map<string, number>();
  let name = 'anonymous';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const path = header[1] ?? '';
      name = path === '' || path === '[heap]' ? 'anonymous' : path.replace(`${root}/`, '');
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]));
  }
  return Object.fromEntries([...byName].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([mapping, kib]) => [mapping, Math.round(kib / 102.4) / 10]));
}

async function main(): Promise<void> {
  if (!plain && !fromSource) {
    // The build's output goes to stderr: a bench prints only its JSON lines on stdout.
    execFileSync(process.execPath, [join(root, 'scripts', 'build-worker.mjs')], { stdio: ['ignore', 2, 2] });
  }
  const server = await startBenchServer();
  // One node process (the script execs node; no tsx wrapper), so its pid is the worker's.
  const [command, ...args] = plain
    ? [process.execPath, '--import', 'tsx', join(root, 'workers', 'orchestration.ts')]
    : [join(root, 'workers', 'start-orchestration.sh')];
  const spawnedAt = performance.now();
  const worker = spawn(command!, args, {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, SLUICE_TEMPORAL_ADDRESS: server.address, SLUICE_LOG_LEVEL: 'info',
      SLUICE_REDACTION_KEY: randomBytes(32).toString('base64'),
      SLUICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'sluice-rss-')),
      // The bench's client below has no payload codec, so the worker runs without one too.
      SLUICE_CODEC: 'off',
      SLUICE_WORKER_FROM_SOURCE: fromSource ? '1' : '0',
      ...(rerank ? { SLUICE_MODEL_CATALOG: rerankingCatalogFile() } : {}),
    },
  });
  worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  await new Promise<void>((resolve, reject) => {
    worker.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('orchestration worker polling')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  const report = (phase: string, extra: Record<string, number> = {}) =>
    console.log(JSON.stringify({
      bench: 'worker-rss', start, rerank, phase, ...memoryOf(worker.pid!), ...extra,
    }));
  // From spawn to polling: what a restarted pod takes before it serves (bundling the workflows included).
  const startupMs = Math.round(performance.now() - spawnedAt);
  report('started', { startupMs });
  const run = (type: string, workflowId: string, input: unknown) =>
    server.client.workflow.execute(type, { taskQueue: taskQueues.orchestration, workflowId, args: [input] });
  await run(workflowTypes.ingest, 'rss-ingest', {
    tenant: 'bench', ingestId: 'corpus', path: join(root, 'examples', 'corpus'),
  });
  report('after ingest');
  for (let index = 0; index < answers; index++) {
    await run(workflowTypes.answer, `rss-answer-${index}`, {
      tenant: 'bench', requestId: `r${index}`,
      question: 'What happens when a worker process crashes in the middle of an answer?',
    });
  }
  report(`after ${answers} answers`);
  if (idleSeconds > 0) {
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    report(`after ${idleSeconds} s idle`);
  }
  if (mappings) {
    console.log(JSON.stringify({ bench: 'worker-rss', phase: `after ${answers} answers`, residentMiBByMapping:
      residentByMapping(worker.pid!) }));
  }
  worker.kill('SIGTERM');
  await new Promise((resolve) => worker.once('exit', resolve));
  await server.teardown();
}

void main();
