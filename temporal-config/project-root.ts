import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository's root: the nearest folder above this file that holds package.json. From the sources that
 * is the parent of temporal-config/; from the compiled worker (dist/temporal-config/, scripts/build-worker.mjs)
 * it is dist/'s parent, where .tools/, prompts/ and examples/ live.
 */
function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) return join(start, '..');
  }
}

export const projectRoot = findProjectRoot(__dirname);
