import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanceDbStore } from '../../../../activities/retrieval/lancedb-store';
import {
  acquireStoreLock, StoreLockedError, storeLockFileName,
} from '../../../../activities/retrieval/store-lock';
import { openEmbeddedDefaults } from '../../../../workers/embedded-defaults';
import { describeStartupError } from '../../../../workers/startup-errors';

const holderScript = join(__dirname, 'hold-lancedb-store.ts');
const children: ChildProcess[] = [];
const directories: string[] = [];

function freshDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-store-lock-'));
  directories.push(directory);
  return directory;
}

const holderPid = (directory: string): number =>
  (JSON.parse(readFileSync(join(directory, storeLockFileName), 'utf8')) as { pid: number }).pid;

/** Starts another process that opens the store under `directory`; resolves once it holds it. */
async function startHolder(directory: string, mode: 'hold' | 'exit'): Promise<ChildProcess> {
  // node itself, with tsx as a loader, so SIGKILL hits the holder and not a wrapper process.
  const child = spawn(process.execPath, ['--import', 'tsx', holderScript, directory, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) resolve();
    });
    child.stderr!.on('data', (data: Buffer) => { output += data.toString(); });
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before it was ready: ${output}`)));
  });
  return child;
}

const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));

afterAll(() => {
  children.forEach((child) => child.kill('SIGKILL'));
  directories.forEach((directory) => rmSync(directory, { recursive: true, force: true }));
});

describe('the embedded store across processes', () => {
  it('refuses a second process with a StoreLockedError, and takes over once the holder is SIGKILLed', async () => {
    const directory = freshDirectory();
    const holder = await startHolder(directory, 'hold');

    const refused = await LanceDbStore.open(directory, 'chunks', 8).then(
      () => undefined, (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StoreLockedError);
    expect((refused as StoreLockedError).name).toBe('StoreLockedError');
    expect((refused as StoreLockedError).holder.pid).toBe(holder.pid);
    const message = (refused as StoreLockedError).message;
    expect(message).toContain(directory);
    expect(message).toContain(`process ${holder.pid}`);
    expect(message).toContain('QDRANT_URL');

    holder.kill('SIGKILL');
    await exited(holder);
    // The killed process could not remove its lock: it is stale now, and taken over.
    expect(holderPid(directory)).toBe(holder.pid);
    const store = await LanceDbStore.open(directory, 'chunks', 8);
    try {
      expect(holderPid(directory)).toBe(process.pid);
      expect(await store.count('acme')).toBe(1);
    } finally {
      await store.close();
    }
    expect(existsSync(join(directory, storeLockFileName))).toBe(false);
  });

  it('stops a second orchestration worker at start-up with one line naming the store and Qdrant', async () => {
    const dataDir = freshDirectory();
    const holder = await startHolder(join(dataDir, 'vectors'), 'hold');
    const environment = { SLUICE_EMBEDDER: 'hashing' };

    const refused = await openEmbeddedDefaults(dataDir, environment).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreLockedError);
    const line = describeStartupError(refused);
    expect(line).not.toContain('\n');
    expect(line).toMatch(new RegExp(`vectors is in use by process ${holder.pid}\\b.*SLUICE_VECTOR_STORE=qdrant`));

    holder.kill('SIGKILL');
    await exited(holder);
    const dependencies = await openEmbeddedDefaults(dataDir, environment);
    await dependencies.store.close();
  });

  it('takes over from a killed holder its parent has not reaped yet (a zombie still answers kill 0)', async () => {
    const directory = freshDirectory();
    const holder = await startHolder(directory, 'hold');
    holder.kill('SIGKILL');
    // Synchronous from here on: this process's event loop, which would reap the child, does not run.
    const state = () => {
      const stat = readFileSync(`/proc/${holder.pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    };
    const deadline = Date.now() + 10_000;
    while (state() !== 'Z' && Date.now() < deadline) { /* wait for the kill to land */ }
    expect(state()).toBe('Z');
    const lock = acquireStoreLock(directory);
    expect(holderPid(directory)).toBe(process.pid);
    lock.release();
    await exited(holder);
  });

  it('frees the directory when the holding process exits without closing the store', async () => {
    const directory = freshDirectory();
    const holder = await startHolder(directory, 'exit');
    await exited(holder);
    expect(holder.exitCode).toBe(0);
    expect(existsSync(join(directory, storeLockFileName))).toBe(false);
  });
});

describe('the embedded store within one process', () => {
  it('lets several stores share a directory, each seeing the others\' writes, until the last one closes', async () => {
    const directory = freshDirectory();
    const first = await LanceDbStore.open(directory, 'chunks', 8);
    const second = await LanceDbStore.open(directory, 'chunks', 8);
    const chunk = {
      id: 'shared-0', tenant: 'acme', documentId: 'doc', chunkIndex: 0, title: 'doc', source: 'doc.md',
      text: 'shared text', vector: [1, 0, 0, 0, 0, 0, 0, 0],
    };
    await first.upsert([chunk]);
    expect(await second.count('acme')).toBe(1);
    await second.deleteDocument('acme', 'doc');
    expect(await first.count('acme')).toBe(0);
    // Their writes share one queue, so concurrent re-writes of the same rows never conflict.
    const rewrites = Array.from({ length: 12 }, (_, round) => (round % 2 ? first : second).upsert(
      [0, 1, 2, 3].map((index) => ({ ...chunk, id: `shared-${index}`, chunkIndex: index, version: round })),
    ));
    await Promise.all(rewrites);
    expect(await first.count('acme')).toBe(4);

    await first.close();
    await first.close();
    // The second store still holds the directory: another process would still be refused.
    expect(holderPid(directory)).toBe(process.pid);
    await second.close();
    expect(existsSync(join(directory, storeLockFileName))).toBe(false);
  });
});

describe('acquireStoreLock', () => {
  const writeLock = (directory: string, holder: object | string): void =>
    writeFileSync(join(directory, storeLockFileName), typeof holder === 'string' ? holder : JSON.stringify(holder));

  it('takes over a lock whose process is gone, and one that cannot be read', () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    for (const stale of [
      { pid: deadPid, hostname: hostname(), startedAt: 'earlier', token: 'x' },
      '{"pid": 12',
    ]) {
      const directory = freshDirectory();
      writeLock(directory, stale);
      const lock = acquireStoreLock(directory);
      expect(holderPid(directory)).toBe(process.pid);
      lock.release();
      lock.release();
      expect(existsSync(join(directory, storeLockFileName))).toBe(false);
    }
  });

  it('tells a live holder from a later process that was given its pid (Linux)', () => {
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
    const holder = { pid: process.ppid, hostname: hostname(), startedAt: 'earlier', token: 'x' };
    const live = freshDirectory();
    writeLock(live, { ...holder, processStart: start });
    expect(() => acquireStoreLock(live)).toThrow(StoreLockedError);
    const reused = freshDirectory();
    writeLock(reused, { ...holder, processStart: String(Number(start) - 1) });
    const lock = acquireStoreLock(reused);
    expect(holderPid(reused)).toBe(process.pid);
    lock.release();
  });

  it('refuses a lock held from another host, saying which file to delete if that process is gone', () => {
    const directory = freshDirectory();
    writeLock(directory, { pid: 4242, hostname: 'another-host', startedAt: '2026-01-01T00:00:00.000Z', token: 'x' });
    expect(() => acquireStoreLock(directory)).toThrow(StoreLockedError);
    expect(() => acquireStoreLock(directory)).toThrow(
      `process 4242 on another-host (since 2026-01-01T00:00:00.000Z)`,
    );
    expect(() => acquireStoreLock(directory)).toThrow(`delete ${join(directory, storeLockFileName)}`);
  });
});
