// Makes sure Debian's chromium is there for the browser tests (test/e2e/reviewer-page.test.ts drives it
// through playwright-core). Called by install-tools.mjs on every `npm install`. Never fatal: as root on
// Debian it installs the package with apt-get; anywhere else it prints one line saying how to.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const debianPath = '/usr/bin/chromium';
const howTo = 'run `npm install` as root on Debian, or `sudo apt-get install --no-install-recommends chromium`, ' +
  'or set SLUICE_CHROMIUM to a Chromium binary';

const succeeds = (command, args, env) => {
  try {
    execFileSync(command, args, { stdio: 'ignore', env });
    return true;
  } catch {
    return false;
  }
};

/** Every effect is injectable, so the decision can be checked without root or apt. */
export function ensureChromium({
  env = process.env,
  exists = existsSync,
  run = succeeds,
  isRoot = typeof process.getuid === 'function' && process.getuid() === 0,
  log = console.log,
} = {}) {
  if (env.SLUICE_SKIP_CHROMIUM === '1') return 'skipped';
  const wanted = env.SLUICE_CHROMIUM || debianPath;
  if (exists(wanted)) return 'present';
  if (env.SLUICE_CHROMIUM || !isRoot || !run('apt-get', ['--version'], env)) {
    log(`sluice: the browser tests need Chromium at ${wanted}: ${howTo}`);
    return 'missing';
  }
  log('sluice: installing Debian\'s chromium for the browser tests (apt-get install chromium)');
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], aptEnv);
  // A fresh container has no package lists yet: read them once, then try again.
  if (install() || (run('apt-get', ['update', '-qq'], aptEnv) && install())) return 'installed';
  log(`sluice: apt-get could not install chromium; the browser tests need it: ${howTo}`);
  return 'missing';
}
