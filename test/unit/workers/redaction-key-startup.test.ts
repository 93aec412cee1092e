import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedactionKeyRequiredError, RedactionSealer } from '../../../activities/gates/pii/redaction-seal';
import { openOrchestrationDependencies } from '../../../workers/orchestration-dependencies';

// Workers on two hosts with their own key files cannot open each other's sealed redactions, so
// outside the one-machine dev stack a worker must refuse to start without SLUICE_REDACTION_KEY.

const root = join(__dirname, '..', '..', '..');

describe('redaction key at worker start-up', () => {
  it('refuses to open orchestration dependencies without SLUICE_REDACTION_KEY ' +
    'unless a key file is allowed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-key-'));
    const opening = openOrchestrationDependencies({ dataDir, environment: {}, allowKeyFile: false });
    await expect(opening).rejects.toBeInstanceOf(RedactionKeyRequiredError);
    await expect(opening).rejects.toThrow(/SLUICE_REDACTION_KEY/);
    expect(existsSync(join(dataDir, 'redaction.key'))).toBe(false);
  });

  it('takes the shared key from SLUICE_REDACTION_KEY when no key file is allowed', () => {
    const key = randomBytes(32).toString('base64');
    const one = RedactionSealer.fromEnvironment({ SLUICE_REDACTION_KEY: key }, '/nonexistent', { allowKeyFile: false });
    const other = RedactionSealer.fromEnvironment({ SLUICE_REDACTION_KEY: key }, '/elsewhere', { allowKeyFile: false });
    expect(other.open(one.seal({ '[EMAIL_1]': 'jane@example.com' }, 't'), 't'))
      .toEqual({ '[EMAIL_1]': 'jane@example.com' });
  });

  it('stops the standalone orchestration worker with one line naming SLUICE_REDACTION_KEY', () => {
    const environment: NodeJS.ProcessEnv = {
      ...process.env, SLUICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'sluice-key-')),
    };
    delete environment.SLUICE_REDACTION_KEY;
    // Nothing listens on port 1: a worker that went on to connect would fail with another message.
    environment.SLUICE_TEMPORAL_ADDRESS = '127.0.0.1:1';
    const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'workers', 'orchestration.ts')], {
      cwd: root, env: environment, encoding: 'utf8', timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sluice worker: SLUICE_REDACTION_KEY is not set/);
  }, 90_000);
});
