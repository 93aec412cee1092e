import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devServerArgs } from '../../temporal-config/dev-server';
import { temporalCliPath } from '../../temporal-config/temporal-binary';
import {
  devServerPidFile, processCommandLine, readDevServerPidRecord, writeDevServerPidRecord,
} from '../../workers/dev-server-pid-file';
import { isServing, startDevServer, type RunningDevServer } from '../../workers/dev-server-process';
import { freePort } from '../../workers/free-port';
import { freshDataDir } from '../helpers/temporal-env';

// `npm start` killed outright (kill -9) must not leave its Temporal dev server behind, and a server that
// was left behind all the same (its watchdog killed too) must not stop the next start. Real processes.

const root = join(__dirname, '..', '..');

/** Pids of `temporal server start-dev` processes on `dbFilename`, found by their command line in /proc. */
function devServerPids(dbFilename: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    const argv = processCommandLine(pid);
    return argv?.[0] === temporalCliPath() && argv[2] === 'start-dev'
      && argv[argv.indexOf('--db-filename') + 1] === dbFilename;
  });
}

/** Whether `pid` is running (not gone, not a zombie). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}


/** Polls `check` until it holds; returns the milliseconds it took, or throws after `timeoutMs`. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

interface DevStackRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

/** `npm start` as one Node process (node with tsx, so a signal reaches dev-stack itself). */
function startDevStack(environment: Record<string, string>): DevStackRun {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', 'dev-stack.ts')], {
    cwd: root, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

/** Waits until this run's dev server answers; fails at once, with its output, if the run exits. */
async function waitUntilServed(run: DevStackRun, address: string, dbFilename: string): Promise<number> {
  await waitFor('npm start serves', async () => {
    if (run.child.exitCode !== null) throw new Error(`npm start exited ${run.child.exitCode}:\n${run.output()}`);
    return devServerPids(dbFilename).length === 1 && (await isServing(address));
  }, 90_000);
  return devServerPids(dbFilename)[0]!;
}

async function twoFreePorts(): Promise<[number, number]> {
  const first = await freePort();
  let second = await freePort();
  while (second === first) second = await freePort();
  return [first, second];
}

describe('npm start after a crash', () => {
  const dataDirs: string[] = [];
  const runs: DevStackRun[] = [];
  let restarted: RunningDevServer | undefined;
  afterEach(async () => {
    await restarted?.stop();
    restarted = undefined;
    // Whatever failed, leave no process behind: only ones started on this suite's temporary folders.
    runs.splice(0).forEach((run) => run.child.kill('SIGKILL'));
    for (const dataDir of dataDirs.splice(0)) {
      devServerPids(join(dataDir, 'temporal.db')).forEach((pid) => process.kill(pid, 'SIGKILL'));
    }
  });

  it('SIGKILL of npm start takes its dev server down; the next start on the same data and port succeeds', async () => {
    const dataDir = freshDataDir();
    dataDirs.push(dataDir);
    const dbFilename = join(dataDir, 'temporal.db');
    const [port, uiPort] = await twoFreePorts();
    const address = `127.0.0.1:${port}`;
    const environment = {
      SLUICE_DATA_DIR: dataDir, SLUICE_TEMPORAL_ADDRESS: address,
      SLUICE_TEMPORAL_UI_URL: `http://127.0.0.1:${uiPort}`, SLUICE_LOG_LEVEL: 'warn', SLUICE_GATEWAY_PORT: '0',
      SLUICE_METRICS_ADDRESS: 'off',
    };

    const startedAt = Date.now();
    const first = startDevStack(environment);
    runs.push(first);
    const firstServer = await waitUntilServed(first, address, dbFilename);
    const servedAfter = Date.now() - startedAt;
    first.child.kill('SIGKILL');
    await first.exited;
    const goneAfter = await waitFor(
      'the dev server exits after npm start is killed', () => !isRunning(firstServer), 12_000,
    );

    // The next start, as dev-stack makes it (in this process: a second tsx start-up would only add time).
    const notices: string[] = [];
    const restartedAt = Date.now();
    restarted = await startDevServer(
      { ip: '127.0.0.1', port, uiPort, dbFilename, namespace: 'default' }, undefined, (line) => notices.push(line),
    );
    expect(restarted.pid).not.toBe(firstServer);
    expect(notices).toEqual([]);
    expect(devServerPids(dbFilename)).toEqual([restarted.pid]);
    expect(readDevServerPidRecord(dbFilename)).toMatchObject({ pid: restarted.pid, address, dbFilename });
    process.stdout.write(
      `start-crash: npm start served after ${servedAfter} ms; its server gone ${goneAfter} ms after SIGKILL; ` +
        `next start served after ${Date.now() - restartedAt} ms\n`,
    );
  });

  describe('a dev server orphaned on the same data file', () => {
    let orphan: ChildProcess | undefined;
    let server: RunningDevServer | undefined;
    afterEach(async () => {
      await server?.stop();
      orphan?.kill('SIGKILL');
    });

    it('is stopped and replaced, with one line saying so; a server Sluice did not leave is refused', async () => {
      const dataDir = freshDataDir();
      dataDirs.push(dataDir);
      const dbFilename = join(dataDir, 'temporal.db');
      // What a Sluice killed together with its watchdog leaves: the server alone, and its pid file. Spawned on a
      // fresh port until one serves: a parallel test may take the free port before this server binds it.
      let options: { port: number; uiPort: null; dbFilename: string } | undefined;
      let orphanExited: Promise<void> = Promise.resolve();
      for (let attempt = 1; !options; attempt++) {
        const candidate = { port: await freePort(), uiPort: null, dbFilename };
        const spawned = spawn(temporalCliPath(), devServerArgs(candidate), { detached: true, stdio: 'ignore' });
        let exited = false;
        const exit = new Promise<void>((resolve) => spawned.once('exit', () => { exited = true; resolve(); }));
        const address = `127.0.0.1:${candidate.port}`;
        await waitFor('the orphan serves or exits', async () => exited || await isServing(address), 60_000);
        if (exited && attempt >= 3) throw new Error(`the orphan server exited at start three times (last ${address})`);
        if (!exited) [orphan, orphanExited, options] = [spawned, exit, candidate];
      }
      const orphanPid = orphan!.pid!;
      const address = `127.0.0.1:${options.port}`;
      const notices: string[] = [];
      const start = () => startDevServer(options, undefined, (message) => notices.push(message));

      // No pid file: not known to be ours, so the address stays refused.
      await expect(start()).rejects.toThrow(`a Temporal server is already serving on ${address}`);
      // A pid file whose owner still runs (this process): a live Sluice's server is not taken over.
      const ownerCommand = processCommandLine(process.pid)?.join('\0');
      const record = { pid: orphanPid, watchdogPid: orphanPid, address, dbFilename, binary: temporalCliPath() };
      writeDevServerPidRecord({ ...record, ownerPid: process.pid, ownerCommand });
      await expect(start()).rejects.toThrow(`a Temporal server is already serving on ${address}`);
      expect(notices).toEqual([]);

      const deadOwner = spawnSync(process.execPath, ['-e', '']).pid;
      writeDevServerPidRecord({ ...record, ownerPid: deadOwner });
      server = await start();
      await orphanExited;
      expect(isRunning(orphanPid)).toBe(false);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(new RegExp(`earlier Sluice \\(pid ${orphanPid}, ${address}, .*temporal\\.db\\)`));
      expect(server.pid).not.toBe(orphanPid);
      expect(devServerPids(dbFilename)).toEqual([server.pid]);
      expect(readDevServerPidRecord(dbFilename)).toMatchObject({ pid: server.pid, ownerPid: process.pid });
      expect(await isServing(address)).toBe(true);

      await server.stop();
      expect(isRunning(server.pid)).toBe(false);
      expect(existsSync(devServerPidFile(dbFilename))).toBe(false);
    });
  });
});
