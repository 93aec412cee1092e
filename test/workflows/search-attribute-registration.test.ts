import { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { devServerDynamicConfig } from '../../temporal-config/dev-server';
import {
  checkSearchAttributes, MissingSearchAttributesError, requireSearchAttributes,
} from '../../temporal-config/search-attribute-registration';
import { temporalCliPath } from '../../temporal-config/temporal-binary';
import { runSluice } from '../helpers/sluice-cli';
import { freshDataDir, installQuietRuntime } from '../helpers/temporal-env';

const root = join(__dirname, '..', '..');
const names = Object.values(sluiceSearchAttributes).map((attribute) => attribute.name);

/** Runs the standalone orchestration worker; resolves with its exit code and stderr, or 'running' after `waitMs`. */
function runStandaloneWorker(address: string, waitMs: number): Promise<{ code: number | 'running'; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', 'orchestration.ts')], {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env, SLUICE_TEMPORAL_ADDRESS: address, SLUICE_DATA_DIR: freshDataDir(), SLUICE_LOG_LEVEL: 'error',
      SLUICE_REDACTION_KEY: randomBytes(32).toString('base64'),
      SLUICE_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'running', stderr });
    }, waitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stderr });
    });
  });
}

// A production cluster starts without Sluice's search attributes (only the dev server's flags add them).
describe('search attributes on a cluster that lacks them', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    installQuietRuntime();
    const dynamicConfig = Object.entries(devServerDynamicConfig)
      .flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]);
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCliPath() }, extraArgs: dynamicConfig },
    });
  });

  afterAll(() => env?.teardown());

  it('stop the standalone worker at start-up with a message naming each missing attribute', async () => {
    const outcome = await runStandaloneWorker(env.address, 30_000);
    expect(outcome.code).toBe(1);
    for (const name of names) expect(outcome.stderr).toContain(name);
    expect(outcome.stderr).toContain('sluice setup');
    await expect(requireSearchAttributes(env.connection, 'default'))
      .rejects.toBeInstanceOf(MissingSearchAttributesError);
  });

  it('are registered by `sluice setup`, after which the check passes', async () => {
    const setup = await runSluice(['setup'], { address: env.address, tenant: 'acme' });
    expect(setup.code).toBe(0);
    for (const name of names) expect(setup.stdout).toContain(`${name}`);
    expect((await checkSearchAttributes(env.connection, 'default'))
      .every((attribute) => attribute.state === 'registered')).toBe(true);
    await expect(requireSearchAttributes(env.connection, 'default')).resolves.toBeUndefined();
    // Running it twice is harmless.
    expect((await runSluice(['setup'], { address: env.address, tenant: 'acme' })).code).toBe(0);
  });
});
