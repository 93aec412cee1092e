import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A production worker with a codec key of its own could not read what clients and the other
// workers encrypt (nor they what it writes), so it must refuse to start without the shared keys.

const root = join(__dirname, '..', '..', '..');

interface Exit {
  code: number | null;
  stderr: string;
}

function startEntryPoint(file: string, environment: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', file)], {
      cwd: root, env: environment,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('codec keys at worker start-up', () => {
  it.each([
    ['orchestration.ts', 'sluice worker'],
    ['llm.ts', 'sluice llm worker'],
    ['gpu.ts', 'sluice gpu worker'],
  ])('%s stops with one line naming SLUICE_CODEC_KEYS and makes no key file', async (file, prefix) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-codec-start-'));
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      SLUICE_DATA_DIR: dataDir,
      SLUICE_REDACTION_KEY: randomBytes(32).toString('base64'),
      // Nothing listens on port 1: a worker that went on to connect would fail with another message.
      SLUICE_TEMPORAL_ADDRESS: '127.0.0.1:1',
    };
    for (const name of ['SLUICE_CODEC', 'SLUICE_CODEC_KEYS', 'SLUICE_CODEC_KEY_FILE']) delete environment[name];
    const run = await startEntryPoint(file, environment);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${prefix}: SLUICE_CODEC_KEYS is not set: every worker and client`));
    expect(existsSync(join(dataDir, 'codec-keys.json'))).toBe(false);
  }, 90_000);

  it('stops on a malformed key with one line naming the variable', async () => {
    const run = await startEntryPoint('llm.ts', {
      ...process.env, SLUICE_CODEC_KEYS: 'k1:not-a-key', SLUICE_TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim())
      .toMatch(/^sluice llm worker: invalid configuration: SLUICE_CODEC_KEYS: keys\.k1: must be 32 bytes/);
  }, 90_000);
});
