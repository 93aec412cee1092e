import { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sluiceSearchAttributes } from '../../contracts/search-attributes';
import { checkSearchAttributes } from '../../temporal-config/search-attribute-registration';
import { temporalCliPath } from '../../temporal-config/temporal-binary';
import { installQuietRuntime } from '../helpers/temporal-env';

const root = join(__dirname, '..', '..');
const names = Object.values(sluiceSearchAttributes).map((attribute) => attribute.name);

interface ScriptRun { code: number; stdout: string; stderr: string }

/** `npm run temporal:search-attributes -- <args>`, run the way the npm script runs it. */
function runScript(args: string[], environment: Record<string, string>): Promise<ScriptRun> {
  const script = join(root, 'scripts', 'register-search-attributes.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...environment },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

// A production namespace starts without Sluice's search attributes: a dev server started without the flags.
describe('npm run temporal:search-attributes', () => {
  let env: TestWorkflowEnvironment;
  let environment: Record<string, string>;

  beforeAll(async () => {
    installQuietRuntime();
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCliPath() } },
    });
    environment = { SLUICE_TEMPORAL_ADDRESS: env.address, SLUICE_TEMPORAL_NAMESPACE: 'default' };
  });

  afterAll(() => env?.teardown());

  it('prints its plan on a dry run and changes nothing', async () => {
    const run = await runScript(['--dry-run'], environment);
    expect(run.code).toBe(0);
    for (const name of names) expect(run.stdout).toMatch(new RegExp(`^${name} \\(\\w+\\): will be added$`, 'm'));
    expect(run.stdout).toContain(`namespace default: would add ${names.length}, already registered 0`);
    const states = (await checkSearchAttributes(env.connection, 'default')).map((attribute) => attribute.state);
    expect(new Set(states)).toEqual(new Set(['missing']));
  });

  it('registers them all once, then finds nothing to do', async () => {
    const first = await runScript([], environment);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const name of names) expect(first.stdout).toMatch(new RegExp(`^${name} \\(\\w+\\): added$`, 'm'));
    expect(first.stdout).toContain(`namespace default: added ${names.length}, already registered 0, conflicting 0`);

    const second = await runScript([], environment);
    expect(second.code).toBe(0);
    for (const name of names) expect(second.stdout).toContain(`${name} (`);
    expect(second.stdout).not.toMatch(/: added$/m);
    expect(second.stdout).toContain(`namespace default: added 0, already registered ${names.length}, conflicting 0`);
    expect((await checkSearchAttributes(env.connection, 'default'))
      .every((attribute) => attribute.state === 'registered')).toBe(true);
  });

  it('stops with one line naming both variables when a certificate comes without its key', async () => {
    const run = await runScript([], { ...environment, SLUICE_TEMPORAL_TLS_CERT: join(root, 'README.md') });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('SLUICE_TEMPORAL_TLS_KEY: must be set with SLUICE_TEMPORAL_TLS_CERT');
  });
});
