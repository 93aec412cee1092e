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

/** Runs the real `sluice` CLI against a server; never rejects, so tests can assert on failures too. */
export async function runSluice(args: string[], options: { address: string; tenant: string }): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(sluiceBinary, args, { env: { ...process.env, SLUICE_TEMPORAL_ADDRESS: options.address, SLUICE_TENANT: options.tenant } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliOutcome;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
