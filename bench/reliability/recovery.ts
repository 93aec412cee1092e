// Recovery and load figures for the reliability evidence, with the orchestration worker in its own
// process (test/faults/answer-worker-process.ts, hashing embedder, offline catalog):
//  - after kill -9 of the worker with answers in flight: time from the kill to the first run that
//    completes after it, and to the last (runs' close times as the server records them);
//  - the same after kill -9 of the Temporal dev server (SQLite file) and its restart;
//  - answer latency p50/p99, throughput, and the worker's RSS (VmRSS from /proc) and CPU at
//    concurrency 1, 16, 64 and 256.
// Usage: npx tsx bench/reliability/recovery.ts [levels=1,16,64,256] [inFlight=64]
// Figures depend on what else the machine runs: the first line gives its load average.
// Prints only JSON lines on stdout; progress goes to stderr.
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { taskQueues } from '../../contracts/task-queues';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startDevServer } from '../../workers/dev-server-process';
import { freshDataDir } from '../../test/helpers/temporal-env';
import {
  projectRoot, runPool, sampleCorpus, sampleQuestions, validAnswer, waitFor, within,
} from '../../test/faults/load-helpers';
import {
  rssMiB, startQuietServer, startWorkerProcess, type QuietServer, type WorkerProcess,
} from '../../test/faults/processes';
import { resultAcrossOutage } from '../../test/faults/server-record';
import { summarise } from '../stats';
import { shareModulesAcrossRuns } from '../../workers/share-modules-across-runs.cjs';

const levels = (process.argv[2] ?? '1,16,64,256').split(',').map(Number);
const inFlight = Number(process.argv[3] ?? 64);
const tenant = 'bench';
const bundlePath = join(projectRoot, '.data', 'bench', 'reliability-workflow-bundle.js');

const log = (message: string) => process.stderr.write(`recovery: ${message}\n`);
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);

/** The bench's own workflow bundle, so it never reads a file a concurrent test run is rewriting. */
async function buildBundle(): Promise<void> {
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'), webpackConfigHook: shareModulesAcrossRuns(), logger: quiet,
  });
  mkdirSync(join(bundlePath, '..'), { recursive: true });
  writeFileSync(bundlePath, code);
}

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU a process has used, in ms, from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}

const cpuTotalMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

const startWorker = (address: string, dataDir: string) =>
  startWorkerProcess({
    address, dataDir, ingestRoots: [sampleCorpus], environment: { SLUICE_WORKFLOW_BUNDLE: bundlePath },
  });

async function ingestCorpus(server: QuietServer): Promise<void> {
  await within(server.connection, 120_000, 'the sample corpus is ingested', () =>
    server.client.workflow.execute(workflowTypes.ingest, {
      taskQueue: taskQueues.orchestration, workflowId: workflowIds.ingest(tenant, 'corpus'),
      args: [{ tenant, ingestId: 'corpus', path: sampleCorpus }],
    }));
}

const startAnswer = (client: Client, requestId: string, index: number) =>
  client.workflow.start(workflowTypes.answer, {
    taskQueue: taskQueues.orchestration, workflowId: workflowIds.answer(tenant, requestId),
    args: [{ tenant, requestId, question: sampleQuestions[index % sampleQuestions.length] }],
  });

/** Close times (epoch ms) of runs, as the server recorded them. */
async function closeTimes(handles: readonly WorkflowHandleWithFirstExecutionRunId[]): Promise<number[]> {
  return runPool(handles.length, 8, async (index) => {
    const closed = (await handles[index]!.describe()).closeTime;
    if (!closed) throw new Error(`${handles[index]!.workflowId} is still open`);
    return closed.getTime();
  });
}

/**
 * Starts `inFlight` answers, waits for the first 5 results, applies `fault` (which returns once the
 * replacement is up), then waits for every result; reports times from the fault on.
 */
async function recoveryAfter(
  name: string, server: QuietServer, prefix: string,
  fault: () => Promise<{ faultAt: number; backAt: number }>,
): Promise<void> {
  const handles = await runPool(inFlight, 16, (index) => startAnswer(server.client, `${prefix}${index}`, index));
  let completed = 0;
  const deadline = Date.now() + 5 * 60_000;
  const results = handles.map(async (handle) => {
    const { result } = await resultAcrossOutage(server.client, handle.workflowId, deadline, () => handle.result());
    completed += 1;
    return validAnswer(result, handle.workflowId);
  });
  results.forEach((result) => result.catch(() => undefined));
  await waitFor(() => completed >= 5, 'the first answers complete', 120_000);
  const completedBefore = completed;
  const { faultAt, backAt } = await fault();
  await Promise.all(results);
  const closed = (await closeTimes(handles)).filter((time) => time > faultAt).sort((a, b) => a - b);
  emit({
    bench: 'recovery', fault: name, inFlight, completedBeforeFault: completedBefore,
    completedAfterFault: closed.length, replacementUpMs: backAt - faultAt,
    firstCompletionMs: closed[0]! - faultAt,
    // A run can close just after the fault on work done before it; this one needed the replacement.
    firstCompletionAfterReplacementMs: (closed.find((time) => time >= backAt) ?? Number.NaN) - faultAt,
    allCompletedMs: closed.at(-1)! - faultAt,
  });
}

async function workerKill(): Promise<void> {
  log('worker kill');
  const server = await startQuietServer();
  const dataDir = freshDataDir();
  let worker: WorkerProcess | undefined = await startWorker(server.address, dataDir);
  try {
    await ingestCorpus(server);
    await recoveryAfter('worker-kill', server, 'wk', async () => {
      const faultAt = Date.now();
      await worker!.kill();
      worker = await startWorker(server.address, dataDir);
      return { faultAt, backAt: Date.now() };
    });
  } finally {
    await worker?.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function serverKill(): Promise<void> {
  log('server kill');
  const dataDir = freshDataDir();
  const dbFilename = join(dataDir, 'temporal.db');
  const server = await startQuietServer({ dbFilename });
  const port = Number(server.address.split(':').at(-1));
  let running = server.server;
  const worker = await startWorker(server.address, dataDir);
  try {
    await ingestCorpus(server);
    await recoveryAfter('server-kill', server, 'sk', async () => {
      const faultAt = Date.now();
      await running.kill();
      running = await startDevServer({ port, uiPort: null, dbFilename }, () => undefined);
      return { faultAt, backAt: Date.now() };
    });
  } finally {
    await worker.stop();
    await server.connection.close();
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Latency, throughput, RSS and CPU of one worker process at each concurrency level. */
async function loadLevels(): Promise<void> {
  const server = await startQuietServer();
  const dataDir = freshDataDir();
  const worker = await startWorker(server.address, dataDir);
  try {
    await ingestCorpus(server);
    emit({ bench: 'worker-rss', phase: 'after corpus ingest', rssMiB: rssMiB(worker.pid) });
    // Warm-up: the first runs load the gates' models and JIT the hot paths.
    await runPool(16, 4, async (index) => validAnswer(await (await startAnswer(server.client, `w${index}`, index))
      .result(), `w${index}`));
    for (const concurrency of levels) {
      const answers = Math.max(40, Math.min(concurrency * 4, 512));
      log(`concurrency ${concurrency}: ${answers} answers`);
      const rssSamples: number[] = [rssMiB(worker.pid)];
      const sampler = setInterval(() => rssSamples.push(rssMiB(worker.pid)), 200);
      const cpuBefore = { worker: cpuMs(worker.pid), server: cpuMs(server.server.pid), client: process.cpuUsage() };
      const latenciesMs: number[] = [];
      const startedAt = Date.now();
      try {
        await within(server.connection, 15 * 60_000, `${answers} answers at concurrency ${concurrency}`, () =>
          runPool(answers, concurrency, async (index) => {
            const requestId = `c${concurrency}-${index}`;
            const began = performance.now();
            validAnswer(await (await startAnswer(server.client, requestId, index)).result(), requestId);
            latenciesMs.push(performance.now() - began);
          }));
      } finally {
        clearInterval(sampler);
      }
      const elapsedMs = Date.now() - startedAt;
      const { n, p50Ms, p99Ms, meanMs } = summarise(latenciesMs);
      emit({
        bench: 'answer-load', concurrency, answers: n, p50Ms, p99Ms, meanMs,
        answersPerSecond: Math.round((n / (elapsedMs / 1000)) * 10) / 10,
        // CPU per answer of each process (the machine has 2 cores): what bounds throughput.
        cpuMsPerAnswer: {
          worker: Math.round((cpuMs(worker.pid) - cpuBefore.worker) / n),
          server: Math.round((cpuMs(server.server.pid) - cpuBefore.server) / n),
          client: Math.round(cpuTotalMs(process.cpuUsage(cpuBefore.client)) / n),
        },
        workerRssMiB: { start: rssSamples[0], peak: Math.max(...rssSamples), end: rssMiB(worker.pid) },
      });
    }
  } finally {
    await worker.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await buildBundle();
  // The machine may be shared: the load average says how much of it this run had.
  emit({ bench: 'environment', cpus: cpus().length, loadAverage1m: loadavg()[0], node: process.version });
  await workerKill();
  await serverKill();
  await loadLevels();
}

main().catch((error: unknown) => {
  process.stderr.write(`recovery: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
