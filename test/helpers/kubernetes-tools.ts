import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The pinned Python tools scripts/install-tools.mjs puts in .tools/k8s: kubernetes-validate with the Kubernetes
// JSON schemas inside its wheel (no network at run time), and PyYAML, which also reads YAML for the tests.

const root = join(__dirname, '..', '..');

/** Where install-tools.mjs installs the group. */
export const kubernetesToolsDir = join(root, '.tools', 'k8s');

/** Kubernetes version the manifests are validated against; its schemas ship in kubernetes-validate 1.31.0. */
export const kubernetesVersion = '1.31.0';

function python(): string {
  for (const candidate of ['python3', 'python']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('python3 is needed to run kubernetes-validate (installed by `npm install`)');
}

function runPython(args: string[]): { status: number; stdout: string; stderr: string } {
  if (!existsSync(join(kubernetesToolsDir, 'kubernetes_validate'))) {
    throw new Error(`kubernetes-validate is not in ${kubernetesToolsDir}: run \`node scripts/install-tools.mjs\``);
  }
  // -s and PYTHONNOUSERSITE: only the pinned copies, never a user's site-packages.
  const result = spawnSync(python(), ['-s', ...args], {
    encoding: 'utf8', env: { ...process.env, PYTHONPATH: kubernetesToolsDir, PYTHONNOUSERSITE: '1' },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The documents of a YAML file (empty ones dropped), as plain data. */
export function readYamlDocuments(file: string): unknown[] {
  const script = 'import json, sys, yaml\n'
    + 'print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]))';
  const result = runPython(['-c', script, file]);
  if (result.status !== 0) throw new Error(`cannot read YAML ${file}: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}

/** What kubernetes-validate said about some files. */
export interface ValidationReport {
  status: number;
  /** A line per resource: `INFO … passed`, `ERROR … did not validate …`, or `WARN …` (no schema for it). */
  lines: string[];
}

/** Runs kubernetes-validate on the files; `strict` rejects fields the schema does not know (misspellings). */
export function validateManifests(files: string[], options: { strict: boolean }): ValidationReport {
  const strict = options.strict ? ['--strict'] : [];
  const result = runPython(['-m', 'kubernetes_validate', '-k', kubernetesVersion, ...strict, ...files]);
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  return { status: result.status, lines };
}

/**
 * Lines that fail a manifest. Besides errors, a WARN counts: kubernetes-validate only warns (exit 0) when no
 * schema exists for a kind, e.g. a custom resource, so such a file would otherwise pass unchecked.
 */
export function validationProblems(report: ValidationReport): string[] {
  const problems = report.lines.filter((line) => !line.startsWith('INFO '));
  return report.status === 0 || problems.length ? problems : [`kubernetes-validate exited ${report.status}`];
}
