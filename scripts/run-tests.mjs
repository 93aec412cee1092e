// Runs the whole jest suite and ends with the plain line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = join(root, '.data', 'test', 'jest-report.json');
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });

// Suites run in a worker that jest replaces when it grows (jest.config.js); --forceExit ends that worker even
// when a suite left a handle open, so a leak can never hold CI until its time limit.
const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const jestArgs = [jestBin, '--json', '--forceExit', `--outputFile=${report}`, ...process.argv.slice(2)];
const jest = spawnSync(process.execPath, jestArgs, { stdio: 'inherit', cwd: root });
if (!existsSync(report)) {
  console.log('0 passed, 1 failed');
  process.exit(jest.status || 1);
}
const results = JSON.parse(readFileSync(report, 'utf8'));
// Suites that failed to run (syntax errors, failed setup) count as failures too.
const brokenSuites = results.numRuntimeErrorTestSuites ?? 0;
console.log(`${results.numPassedTests} passed, ${results.numFailedTests + brokenSuites} failed`);
process.exit(jest.status ?? 1);
