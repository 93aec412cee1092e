// Fixture workflow for share-modules-across-runs.test.ts: returns how often the counter module was called.
import { countCall } from './shared/call-counter';

export async function countWorkflow(): Promise<number> {
  return countCall();
}
