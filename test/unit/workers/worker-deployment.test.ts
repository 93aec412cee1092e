import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../contracts/config';
import { loadWorkerDeploymentConfig } from '../../../contracts/worker-deployment';
import { versionedWorkerOptions } from '../../../workers/process-setup';

// Versioning is off unless SLUICE_BUILD_ID is set; bad values stop the process, since the server would
// otherwise take them silently (a `.` in the deployment name fails every poll, a `__` build is never registered).
const optionsOf = (environment: Record<string, string>) =>
  versionedWorkerOptions(loadWorkerDeploymentConfig(environment));

describe('worker deployment settings', () => {
  it('leave versioning off without a build id, empty counting as unset', () => {
    expect(optionsOf({})).toBeUndefined();
    expect(optionsOf({ SLUICE_BUILD_ID: '', SLUICE_DEPLOYMENT_NAME: 'other' })).toBeUndefined();
  });

  it('version the worker with a build id, in deployment `sluice` unless named, auto-upgrade by default', () => {
    expect(optionsOf({ SLUICE_BUILD_ID: 'v1.2.3-rc_4' })).toEqual({
      version: { deploymentName: 'sluice', buildId: 'v1.2.3-rc_4' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
    expect(optionsOf({ SLUICE_BUILD_ID: 'a'.repeat(64), SLUICE_DEPLOYMENT_NAME: 'sluice-eu_2' })?.version)
      .toEqual({ deploymentName: 'sluice-eu_2', buildId: 'a'.repeat(64) });
  });

  it.each([
    [{ SLUICE_BUILD_ID: 'a/b' }, 'SLUICE_BUILD_ID: must be 1-64 characters'],
    [{ SLUICE_BUILD_ID: 'b'.repeat(65) }, 'SLUICE_BUILD_ID: must be 1-64 characters'],
    [{ SLUICE_BUILD_ID: '__unversioned__' }, 'SLUICE_BUILD_ID: must not start with __'],
    [{ SLUICE_BUILD_ID: 'v1', SLUICE_DEPLOYMENT_NAME: 'sluice.eu' }, 'SLUICE_DEPLOYMENT_NAME: must be 1-64 characters'],
  ])('refuse %j with a message naming the variable', (environment, message) => {
    expect(() => loadWorkerDeploymentConfig(environment)).toThrow(ConfigError);
    expect(() => loadWorkerDeploymentConfig(environment)).toThrow(message);
  });

  it('stop a worker entry point at start-up with one line naming SLUICE_BUILD_ID', async () => {
    const root = join(__dirname, '..', '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', 'orchestration.ts')], {
      cwd: root,
      env: {
        ...process.env,
        SLUICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'sluice-build-id-')),
        SLUICE_REDACTION_KEY: randomBytes(32).toString('base64'),
        SLUICE_CODEC: 'off',
        SLUICE_BUILD_ID: 'release 7',
        // Nothing listens on port 1: a worker that went on to connect would fail with another message.
        SLUICE_TEMPORAL_ADDRESS: '127.0.0.1:1',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^sluice worker: .*SLUICE_BUILD_ID: must be 1-64/)]);
  }, 90_000);
});
