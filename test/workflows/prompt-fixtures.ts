import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPromptsFolder } from '../../activities/prompts/prompt-library';

/** The variants of experiment `tone-2026`: grounded-answer v1 against a terser v2, half each. */
export const experimentVariants = [
  { name: 'control', version: 'grounded-v1', weight: 1 }, { name: 'concise', version: 'grounded-v2', weight: 1 },
];

/** The shipped prompts plus a v2 and experiment `tone-2026` (for `tenants`) splitting grounded-answer. */
export function promptsWithExperiment(tenants: readonly string[] = ['acme']): string {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-prompts-'));
  cpSync(defaultPromptsFolder, folder, { recursive: true });
  const v1 = JSON.parse(
    readFileSync(join(folder, 'grounded-answer', 'grounded-v1.json'), 'utf8'),
  ) as Record<string, unknown>;
  writeFileSync(join(folder, 'grounded-answer', 'grounded-v2.json'), JSON.stringify({
    ...v1, version: 'grounded-v2', system: 'Answer briefly, only from the numbered passages; cite them like [1].',
  }));
  const registryFile = join(folder, 'registry.json');
  const registry = JSON.parse(readFileSync(registryFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(registryFile, JSON.stringify({
    ...registry, experiments: [{ id: 'tone-2026', prompt: 'grounded-answer', tenants, variants: experimentVariants }],
  }));
  return folder;
}

