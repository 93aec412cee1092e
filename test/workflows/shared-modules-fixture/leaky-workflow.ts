// Fixture workflow for share-modules-across-runs.test.ts: its shared module imports @temporalio/workflow.
import { currentRun } from './shared/imports-workflow';

export async function leakyWorkflow(): Promise<string> {
  return currentRun();
}
