// What a provider fault storm costs the answer pipeline: N answers through answerWorkflow with
// each provider (OpenAI and Anthropic protocols, behind the fake wire server) failing 30% of
// calls at random — 429 with retry-after, 500, hang, reset, malformed body — against the same N
// with no faults, in the same process on the same stack. Prints one JSON line per phase on
// stdout (completion rate, p50/p99 latency, degraded share) and a comparison line; logs go to stderr.
// Usage: npx tsx bench/reliability/provider-faults.ts [answers=100] [concurrency=8] [failureRate=0.3]
import { performance } from 'node:perf_hooks';
import { FaultStormProxy } from '../../test/faults/provider-fault-proxy';
import {
  groundedReply, startStormStack, stormCatalog, stormRunTag, type StormRun, type StormStack,
} from '../../test/faults/provider-storm-fixtures';
import { buildWorkflowBundle } from '../../test/helpers/workflow-bundle';
import { startBenchServer } from '../bench-server';
import { summarise } from '../stats';

const answers = Number(process.argv[2] ?? 100);
const concurrency = Number(process.argv[3] ?? 8);
const failureRate = Number(process.argv[4] ?? 0.3);
const seed = 20_261_127;
// The catalog's breaker defaults, but with a short open time so a storm's openings cost seconds, not half a minute.
const breaker = { windowMs: 10_000, minimumCalls: 10, failureRate: 0.5, openMs: 2_000, halfOpenProbes: 1 };

const log = (message: string): void => void process.stderr.write(`${message}\n`);

interface Phase {
  name: string;
  failureRate: number;
  first: number;
}

/** Runs `count` questions from `first` at the bench's concurrency; a run that throws counts as not completed. */
async function runPhase(
  stack: StormStack, first: number, count: number, prefix: string,
): Promise<{ runs: StormRun[]; errors: string[] }> {
  const runs: StormRun[] = [];
  const errors: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const index = first + next++;
      try {
        runs.push(await stack.ask(index, prefix));
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  }));
  return { runs, errors };
}

async function main(): Promise<void> {
  await buildWorkflowBundle();
  const server = await startBenchServer();
  const proxy = await FaultStormProxy.start({ seed, failureRate: 0, runTag: stormRunTag, reply: groundedReply });
  const stack = await startStormStack(server, stormCatalog(proxy, breaker));
  try {
    const warmUp = Math.min(answers, 20);
    log(`warming up (${warmUp} answers, no faults)`);
    await runPhase(stack, 1_000_000, warmUp, 'warm');
    const phases: Phase[] = [
      { name: 'faults', failureRate, first: 0 },
      { name: 'no-faults', failureRate: 0, first: 100_000 },
    ];
    const results: Record<string, { p50Ms: number; p99Ms: number; completion: number; degradedShare: number }> = {};
    for (const phase of phases) {
      proxy.clearLog().setStorm({ failureRate: phase.failureRate });
      stack.breakers.resetAll();
      log(`phase ${phase.name}: ${answers} answers at concurrency ${concurrency}, failure rate ${phase.failureRate}`);
      const started = performance.now();
      const { runs, errors } = await runPhase(stack, phase.first, answers, phase.name);
      const seconds = (performance.now() - started) / 1_000;
      errors.slice(0, 5).forEach((error) => log(`  not completed: ${error}`));
      const completed = runs.filter((run) => run.result.status === 'answered' || run.result.status === 'degraded');
      const degraded = runs.filter((run) => run.result.status === 'degraded').length;
      const latency = summarise(runs.map((run) => run.latencyMs));
      const attempts = runs.flatMap((run) => run.result.generation?.attempts ?? []);
      const line = {
        bench: 'provider-faults', phase: phase.name, failureRate: phase.failureRate, answers, concurrency,
        completionRate: +(completed.length / answers).toFixed(4),
        degradedShare: +(degraded / answers).toFixed(4),
        fallbackShare: +(runs.filter((run) => (run.result.generation?.fallbacks ?? 0) > 0).length / answers).toFixed(4),
        p50Ms: +latency.p50Ms.toFixed(1), p99Ms: +latency.p99Ms.toFixed(1), meanMs: +latency.meanMs.toFixed(1),
        providerRequests: proxy.requests.length,
        injectedFaults: proxy.requests.filter((request) => request.fault !== 'none').length,
        circuitRefusals: attempts.filter((attempt) => attempt.errorType === 'CircuitOpen').length,
        answersPerSecond: +(runs.length / seconds).toFixed(2),
      };
      console.log(JSON.stringify(line));
      results[phase.name] = {
        p50Ms: line.p50Ms, p99Ms: line.p99Ms, completion: line.completionRate, degradedShare: line.degradedShare,
      };
    }
    const faults = results.faults!;
    const clean = results['no-faults']!;
    console.log(JSON.stringify({
      bench: 'provider-faults', phase: 'faults-vs-no-faults',
      p50Ratio: +(faults.p50Ms / clean.p50Ms).toFixed(2), p99Ratio: +(faults.p99Ms / clean.p99Ms).toFixed(2),
      completionDelta: +(faults.completion - clean.completion).toFixed(4),
      degradedShareDelta: +(faults.degradedShare - clean.degradedShare).toFixed(4),
    }));
  } finally {
    await stack.stop();
    await proxy.close();
    await server.teardown();
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});
