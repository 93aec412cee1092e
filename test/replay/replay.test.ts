import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installQuietRuntime } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';
import { recordedCases } from './recorded-cases';

// Replays committed histories against today's workflow code: a change that would make a
// running execution non-deterministic fails here, before it reaches production.
describe('replay of recorded histories', () => {
  beforeAll(installQuietRuntime);

  it.each(recordedCases.map((recorded) => [recorded.file, recorded.workflowId] as const))('%s replays deterministically', async (file, workflowId) => {
    const history = JSON.parse(readFileSync(join(__dirname, 'histories', file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath } }, history, workflowId)).resolves.toBeUndefined();
  });
});
