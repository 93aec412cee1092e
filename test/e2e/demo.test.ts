import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

interface DemoRun {
  stdout: () => string;
  exited: Promise<number | null>;
  signal: (name: NodeJS.Signals) => void;
}

/** Runs `npm run demo` (node with tsx, so signals reach the demo itself) with extra arguments. */
function runDemo(args: string[]): DemoRun {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', 'demo.ts'), ...args], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { stdout: () => stdout, exited, signal: (name) => child.kill(name) };
}

async function waitForOutput(run: DemoRun, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.stdout())) {
    if (Date.now() > deadline) throw new Error(`demo never printed ${pattern}; it printed:\n${run.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The quick start's first command: it must answer and then only point at things that exist.
describe('npm run demo', () => {
  it('answers the three questions and prints no link to the server it has stopped', async () => {
    const run = runDemo([]);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/Ingested 5 documents/);
    expect(run.stdout()).toMatch(/status: answered/);
    expect(run.stdout()).toMatch(/status: blocked/);
    expect(run.stdout()).not.toMatch(/https?:\/\/\S+\/workflows\//);
  });

  it('with --keep, serves the Web UI behind the links it prints until Ctrl-C', async () => {
    const run = runDemo(['--keep']);
    try {
      await waitForOutput(run, /stay up at (http\S+) until Ctrl-C/);
      const links = [...run.stdout().matchAll(/inspect: (http\S+)/g)].map((match) => match[1]!);
      expect(links).toHaveLength(4);
      const page = await fetch(links[0]!);
      expect(page.status).toBe(200);
      run.signal('SIGINT');
      expect(await run.exited).toBe(0);
      await expect(fetch(links[0]!)).rejects.toThrow();
    } finally {
      run.signal('SIGKILL');
    }
  });
});
