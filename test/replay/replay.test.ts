import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installQuietRuntime } from '../helpers/temporal-env';
import { workflowBundlePath } from '../helpers/workflow-bundle';

// Replays every committed history, of every generation, against today's workflow code: a change
// that would make a running execution non-deterministic fails here, before it reaches production.
const historiesFolder = join(__dirname, 'histories');
const files = readdirSync(historiesFolder).filter((file) => file.endsWith('.json')).sort();

describe('replay of recorded histories', () => {
  beforeAll(installQuietRuntime);

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = JSON.parse(readFileSync(join(historiesFolder, file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath } }, history, `replay-${file}`)).resolves.toBeUndefined();
  });
});
