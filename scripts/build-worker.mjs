// Compiles the orchestration worker to plain JavaScript in dist/ (tsconfig.build.json: workers/orchestration.ts
// and what it imports), and copies the files its modules read beside themselves (model weights as JSON, the
// worker-thread and child-process scripts as .cjs) to the same places under dist/. workers/start-orchestration.sh
// runs dist/ when it is newer than the sources; the tests and `npm start` run the sources through tsx.
// Why compile: tsx keeps every module's transformed source with an inline source map and turns source maps on,
// which a long-lived worker pays for in memory (bench/RESULTS.md "Performance").
//   npm run build:worker
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// The folders whose modules the worker loads (workers/start-orchestration.sh checks the same ones for changes).
const sourceFolders = ['activities', 'client', 'contracts', 'temporal-config', 'workers'];

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root, stdio: 'inherit',
});
const dataFiles = sourceFolders.flatMap((folder) =>
  readdirSync(join(root, folder), { recursive: true }).map((path) => join(folder, String(path))))
  .filter((path) => /\.(json|cjs)$/.test(path));
for (const path of dataFiles) {
  mkdirSync(dirname(join(dist, path)), { recursive: true });
  copyFileSync(join(root, path), join(dist, path));
}
process.stderr.write(`sluice: compiled the worker into dist/ (${dataFiles.length} data and script files)\n`);
