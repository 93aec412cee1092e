import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sluiceBinary = join(__dirname, '..', '..', 'bin', 'sluice');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `sluice` CLI against a server; never rejects, so tests can assert on failures too.
 * Test stacks run their workers without a payload codec, so the CLI runs with SLUICE_CODEC=off
 * unless `environment` gives it keys (as test/workflows/encrypted-history.test.ts does).
 */
export async function runSluice(
  args: string[],
  options: {
    address: string; tenant: string; environment?: Record<string, string>;
    /** Sees stderr as it arrives, e.g. to wait for a notice before acting on the run. */
    onStderr?: (chunk: string) => void;
  },
): Promise<CliOutcome> {
  const env = {
    ...process.env, SLUICE_CODEC: 'off', SLUICE_TEMPORAL_ADDRESS: options.address, SLUICE_TENANT: options.tenant,
    ...options.environment,
  };
  try {
    const running = run(sluiceBinary, args, { env });
    if (options.onStderr) running.child.stderr?.on('data', (chunk: Buffer) => options.onStderr!(chunk.toString()));
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliOutcome;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
