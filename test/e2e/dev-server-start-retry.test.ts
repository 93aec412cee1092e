import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporalCliPath } from '../../temporal-config/temporal-binary';
import { DevServerStartError, startDevServer } from '../../workers/dev-server-process';
import { freePort } from '../../workers/free-port';

// The dev server picks free ports for its internal services before binding them; a parallel start can take
// one in between and the server panics during start-up. Such a crash is retried; a refusal is not.
// The real CLI runs behind a wrapper that plays the crash for the first `crashes` starts.

describe('dev server start-up', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-start-retry-'));
  const realBinary = temporalCliPath();
  const previousOverride = process.env.SLUICE_TEMPORAL_BIN;

  function crashingWrapper(crashes: number): { starts: () => number } {
    const counter = join(folder, `starts-${crashes}`);
    writeFileSync(counter, '');
    const wrapper = join(folder, `temporal-crashing-${crashes}`);
    writeFileSync(wrapper, [
      '#!/bin/sh',
      `echo x >> '${counter}'`,
      `if [ "$(wc -l < '${counter}')" -le ${crashes} ]; then`,
      "  echo 'panic: listen tcp 127.0.0.1:41234: bind: address already in use' >&2",
      '  echo "goroutine 1 [running]:" >&2',
      '  exit 2',
      'fi',
      `exec '${realBinary}' "$@"`,
    ].join('\n'));
    chmodSync(wrapper, 0o755);
    process.env.SLUICE_TEMPORAL_BIN = wrapper;
    return { starts: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
  }

  afterAll(() => {
    if (previousOverride === undefined) delete process.env.SLUICE_TEMPORAL_BIN;
    else process.env.SLUICE_TEMPORAL_BIN = previousOverride;
    rmSync(folder, { recursive: true, force: true });
  });

  it('starts again after a crash during start-up, and says so', async () => {
    const { starts } = crashingWrapper(2);
    const notices: string[] = [];
    const server = await startDevServer(
      { port: await freePort(), uiPort: null }, undefined, (message) => notices.push(message));
    try {
      expect(starts()).toBe(3);
      expect(notices).toHaveLength(2);
      expect(notices[0]).toMatch(/exited with code 2 during start-up: panic: listen tcp .*\(attempt 2 of 3\)/);
    } finally {
      await server.stop();
    }
  });

  it('gives up after three crashes with the panic line in the error', async () => {
    const { starts } = crashingWrapper(5);
    const start = startDevServer({ port: await freePort(), uiPort: null }, undefined, () => undefined);
    await expect(start).rejects.toThrow(/during start-up: panic: listen tcp 127\.0\.0\.1:41234/);
    expect(starts()).toBe(3);
  });

  it('does not retry a refusal such as a frontend port already in use', async () => {
    const { starts } = crashingWrapper(0);
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const error = await startDevServer({ port, uiPort: null }, undefined, () => undefined).catch((e) => e);
      expect(error).toBeInstanceOf(DevServerStartError);
      expect((error as DevServerStartError).message).toMatch(/Error: can't set frontend port/);
      expect(starts()).toBe(1);
    } finally {
      blocker.close();
    }
  });
});
