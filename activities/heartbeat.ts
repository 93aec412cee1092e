import { Context } from '@temporalio/activity';

/**
 * Runs `work`, heartbeating every `everyMs` while it runs, so an activity scheduled with a short
 * heartbeat timeout is retried elsewhere within seconds when its worker dies, instead of after its
 * whole start-to-close timeout. Outside an activity (tests, benches) it just runs `work`.
 */
export async function withHeartbeats<T>(work: () => Promise<T>, everyMs = 1000): Promise<T> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  const timer = setInterval(() => context!.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
