import { existsSync } from 'node:fs';

// Where the browser tests find Chromium: SLUICE_CHROMIUM, else Debian's package (which
// `npm install` installs when it runs as root on Debian; scripts/install-tools.mjs). A missing
// browser fails the test with what to do: a browser test that skips would pass without testing.

/** Debian's chromium and Ubuntu's older name for it. */
const systemPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary to launch; throws, saying how to install one, when there is none. */
export function chromiumPath(environment: Record<string, string | undefined> = process.env): string {
  const candidates = environment.SLUICE_CHROMIUM ? [environment.SLUICE_CHROMIUM] : systemPaths;
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new Error(
    `no Chromium at ${candidates.join(' or ')}: the browser tests need one. Run \`npm install\` as root ` +
    '(it installs Debian\'s chromium), or `apt-get install --no-install-recommends chromium`, ' +
    'or set SLUICE_CHROMIUM to a Chromium binary.',
  );
}
