// Records the histories replayed by replay.test.ts for the current generation of the workflows.
// After a change behind patched(), bump historyGeneration and record: the older generations'
// files stay, so CI keeps proving old executions replay.  npm run record-histories
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskQueues } from '../../contracts/task-queues';
import { buildWorkflowBundle } from '../helpers/workflow-bundle';
import { loadPromptLibrary } from '../../activities/prompts/prompt-library';
import { openTestDependencies, startTestServer, startWorker } from '../helpers/temporal-env';
import { promptsWithExperiment } from '../workflows/prompt-fixtures';
import { historyGeneration, recordedCases, recordingCatalog } from './recorded-cases';

async function main(): Promise<void> {
  await buildWorkflowBundle();
  const env = await startTestServer();
  const dependencies = {
    ...(await openTestDependencies()), modelCatalog: recordingCatalog(),
    prompts: loadPromptLibrary(promptsWithExperiment(['replay'])),
  };
  const worker = await startWorker(env, dependencies);
  await worker.runUntil(async () => {
    for (const recorded of recordedCases) {
      const handle = await env.client.workflow.start(recorded.type, {
        taskQueue: taskQueues.orchestration,
        workflowId: recorded.workflowId,
        args: [recorded.input],
      });
      await recorded.drive?.(handle);
      await handle.result();
      const history = await handle.fetchHistory();
      const file = `${recorded.name}.${historyGeneration}.json`;
      // The proto3 JSON form, which is what the Temporal UI and CLI export and replay reads.
      writeFileSync(
        join(__dirname, 'histories', file),
        `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
      );
      process.stdout.write(`recorded ${file} (${history.events?.length ?? 0} events)\n`);
    }
  });
  await dependencies.store.close();
  await env.teardown();
}

void main();
