import { condition } from '@temporalio/workflow';

// Workflows for the preloaded worker (test/helpers/stall-worker.ts).

/**
 * Workflow code that can stall its workflow thread: it busy-loops `spin` × 200,000 iterations (about `spin` ms on
 * these machines; the workflow's clock stands still, so it cannot time itself); -1 never returns.
 */
export async function stallFixtureWorkflow(spin: number): Promise<string> {
  let iterations = 0;
  const limit = spin < 0 ? Number.POSITIVE_INFINITY : spin * 200_000;
  while (iterations < limit) iterations += 1;
  return `spun ${iterations}`;
}

/** A run that waits until it is terminated, for the `__stack_trace` query. */
export async function waitingFixtureWorkflow(): Promise<void> {
  await condition(() => false);
}
