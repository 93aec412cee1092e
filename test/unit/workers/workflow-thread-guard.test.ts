import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each case runs in a process of its own with the guard preloaded, as a worker process would, and a
// worker thread that calls into a vm context the way the SDK's workflow thread does.
const guard = join(__dirname, '..', '..', '..', 'workers', 'workflow-thread-guard.cjs');

const child = (body: string) => `
const { Worker } = require('node:worker_threads');
const thread = new Worker(${JSON.stringify(`
  const { parentPort } = require('node:worker_threads');
  const vm = require('node:vm');
  const context = vm.createContext({});
  ${body}
`)}, { eval: true });
thread.on('message', (message) => { process.stdout.write(String(message)); process.exit(0); });
`;

/** A call that runs 200 ms with the SDK's kind of timeout (50 ms): does the timeout still apply? */
const busyCall = (temporalContext: boolean, runId = 'run-1') => child(`
  ${temporalContext ? "vm.runInContext('var __TEMPORAL__ = {};', context);" : ''}
  context.__temporal_args = [{}, 'activate', [{ runId: '${runId}' }]];
  const script = new vm.Script('const start = Date.now(); while (Date.now() - start < 200) {}');
  try { script.runInContext(context, { timeout: 50 }); parentPort.postMessage('completed'); }
  catch (error) { parentPort.postMessage(error.code); }
`);

const freshDataDir = () => mkdtempSync(join(tmpdir(), 'sluice-stall-'));

const run = (script: string, env: Record<string, string>) => spawnSync(process.execPath, ['--require', guard, '-e', script], {
  env: { ...process.env, SLUICE_WORKFLOW_STALL_GUARD: '', SLUICE_DATA_DIR: freshDataDir(), ...env },
  encoding: 'utf8', timeout: 20_000,
});

describe('workflow thread guard (SLUICE_WORKFLOW_STALL_GUARD)', () => {
  it('with "call" leaves the per-call timeout to the SDK: a slow call is stopped', () => {
    const result = run(busyCall(true), { SLUICE_WORKFLOW_STALL_GUARD: 'call' });
    expect(result.stdout).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
  });

  it('by default ("process") a call into a workflow context runs without the per-call watchdog', () => {
    expect(run(busyCall(true), {}).stdout).toBe('completed');
    expect(run(busyCall(true), { SLUICE_WORKFLOW_STALL_GUARD: 'process' }).stdout).toBe('completed');
  });

  it('gives a run that stalled a worker on the same data dir the per-call timeout back', () => {
    const dataDir = freshDataDir();
    writeFileSync(join(dataDir, 'workflow-stalls.jsonl'), '{"runId":"run-that-stalled"}\n{"runId":"cut sh');
    const env = { SLUICE_DATA_DIR: dataDir };
    expect(run(busyCall(true, 'run-that-stalled'), env).stdout).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
    expect(run(busyCall(true, 'another-run'), env).stdout).toBe('completed');
  });

  it('with "process" other vm contexts keep their timeout', () => {
    const result = run(busyCall(false), {});
    expect(result.stdout).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
  });

  it('with "process" a call that never returns ends the process with 70, naming the run and recording it', () => {
    const stuck = child(`
      vm.runInContext('var __TEMPORAL__ = {};', context);
      context.__temporal_args = [{}, 'activate', [{ runId: 'run-that-loops' }]];
      new vm.Script('for (;;) {}').runInContext(context, { timeout: 60000 });
    `);
    const dataDir = freshDataDir();
    const result = run(stuck, { SLUICE_WORKFLOW_STALL_EXIT_MS: '300', SLUICE_DATA_DIR: dataDir });
    expect(result.status).toBe(70);
    const line = JSON.parse(result.stderr.trim().split('\n').at(-1)!);
    const stallsFile = join(dataDir, 'workflow-stalls.jsonl');
    expect(line).toMatchObject({ level: 60, call: 'activate', runId: 'run-that-loops', exitAfterMs: 300, recordedIn: stallsFile });
    expect(line.runningMs).toBeGreaterThanOrEqual(300);
    expect(JSON.parse(readFileSync(stallsFile, 'utf8'))).toMatchObject({ runId: 'run-that-loops', call: 'activate' });
  });

  it.each([
    [{ SLUICE_WORKFLOW_STALL_GUARD: 'off' }, 'SLUICE_WORKFLOW_STALL_GUARD must be "call" or "process"'],
    [{ SLUICE_WORKFLOW_STALL_EXIT_MS: '5s' }, 'SLUICE_WORKFLOW_STALL_EXIT_MS must be'],
    [{ SLUICE_WORKFLOW_STALL_GUARD: 'call', SLUICE_WORKFLOW_STALL_EXIT_MS: '10' }, 'from 100 to 600000'],
    [{ SLUICE_WORKFLOW_STACK_TRACES: 'no' }, 'SLUICE_WORKFLOW_STACK_TRACES must be "on" or "off", got "no"'],
  ])('refuses %j with a message naming the variable, not a stack trace', (env, message) => {
    const result = run('process.stdout.write("started")', env);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('describeWorkflowStallGuard (the start-up log)', () => {
  const root = join(__dirname, '..', '..', '..');
  const describeIn = (preload: boolean, env: Record<string, string>) => {
    const script = "process.stdout.write(JSON.stringify(require('./workers/workflow-stall-guard')" +
      '.describeWorkflowStallGuard(process.env)))';
    const result = spawnSync(process.execPath, [
      ...(preload ? ['--require', guard] : []), '--require', 'tsx/cjs', '-e', script,
    ], { cwd: root, env: { ...process.env, SLUICE_WORKFLOW_STALL_GUARD: '', ...env }, encoding: 'utf8', timeout: 20_000 });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  it('says the SDK guards each call when the preload is missing, whatever the setting', () => {
    expect(describeIn(false, { SLUICE_WORKFLOW_STALL_GUARD: 'process' })).toMatchObject({ workflowStallGuard: 'call' });
    expect(describeIn(false, {}).note).toMatch(/not preloaded/);
  });

  it('reports the monitor, its limit and the runs quarantined on this data dir when preloaded', () => {
    const dataDir = freshDataDir();
    writeFileSync(join(dataDir, 'workflow-stalls.jsonl'), '{"runId":"a"}\n{"runId":"b"}\n{"runId":"a"}\n');
    expect(describeIn(true, { SLUICE_DATA_DIR: dataDir, SLUICE_WORKFLOW_STALL_EXIT_MS: '4000' })).toEqual({
      workflowStallGuard: 'process', stallExitMs: 4000, quarantinedRuns: 2, stallsFile: join(dataDir, 'workflow-stalls.jsonl'),
      workflowStackTraces: 'on',
    });
    expect(describeIn(true, { SLUICE_WORKFLOW_STALL_GUARD: 'call', SLUICE_WORKFLOW_STACK_TRACES: 'off' }))
      .toEqual({ workflowStallGuard: 'call', workflowStackTraces: 'off' });
  });

  it('says stack traces are kept when the preload is missing, whatever the setting', () => {
    expect(describeIn(false, { SLUICE_WORKFLOW_STACK_TRACES: 'off' })).toMatchObject({ workflowStackTraces: 'on' });
  });
});
