// Bundles bench/gpu/worker-path.ts and everything it needs into one file for a GPU host that
// has no Node.js project: the prebuilt workflow bundle is passed in, so the SDK's webpack-based
// workflow bundler is stubbed out; the native core bridge is loaded from releases/ beside it.
// Usage (see pack-for-device.sh): NODE_PATH=<folder with esbuild> node build-worker-path.cjs OUT_DIR
const { build } = require('esbuild');
const path = require('node:path');

const outDir = process.argv[2];
const root = path.join(__dirname, '..', '..');
const stubBundler = {
  name: 'stub-workflow-bundler',
  setup(builder) {
    builder.onResolve({ filter: /\/workflow\/bundler$/ }, () => ({ path: 'workflow-bundler-stub', namespace: 'stub' }));
    builder.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = { defaultWorkflowInterceptorModules: [], bundleWorkflowCode() { throw new Error("bundling is not available here; pass workflowBundle"); } };', loader: 'js' }));
  },
};

build({
  entryPoints: [path.join(root, 'bench', 'gpu', 'worker-path.ts')],
  outfile: path.join(outDir, 'worker-path.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  logLevel: 'warning',
  plugins: [stubBundler],
}).catch(() => process.exit(1));
