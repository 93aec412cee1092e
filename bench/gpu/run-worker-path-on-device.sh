#!/usr/bin/env bash
# Runs on the GPU host with .gpu/ (pack-for-device.sh) and .whl/ carried: a random-weight
# Llama-shaped model served by `transformers serve --continuous-batching`, Temporal's test
# server, and bench/gpu/worker-path.ts (bundled): generateWorkflow → GPU worker → server, beside
# direct SDK calls from the same process, at concurrency 1, 8 and 32.
set -euo pipefail
size="${1:-1b}"
out="${OUT:-/tmp/gpu-out}"; mkdir -p "$out"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
# Python's lzma, in case the host has no xz.
unxz() { python3 -c "import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], 'wb'))" "$1" "$2"; }
mkdir -p /tmp/bin && unxz .gpu/node.xz /tmp/bin/node && unxz .gpu/temporal-test-server.xz /tmp/bin/temporal-test-server && chmod +x /tmp/bin/*
for file in releases/x86_64-unknown-linux-gnu/index.node worker-path.js workflow-bundle.js; do unxz ".gpu/$file.xz" ".gpu/$file"; done
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee "$out/gpu.txt"
/tmp/bin/temporal-test-server 7233 > "$out/temporal.log" 2>&1 &
python3 bench/gpu/make-random-model.py /tmp/model --size "$size" 2>&1 | tail -1
python3 -c "from transformers.cli.transformers import main; main()" serve /tmp/model --continuous-batching --host 127.0.0.1 --port 8000 --log-level warning > "$out/serve.log" 2>&1 &
for attempt in $(seq 1 120); do curl -sf 127.0.0.1:8000/v1/models > /dev/null && break; sleep 2; done
cd .gpu && /tmp/bin/node worker-path.js --address 127.0.0.1:7233 --server http://127.0.0.1:8000 --model /tmp/model \
  --workflow-bundle workflow-bundle.js --concurrency 1,8,32 --requests-per-client 4 --max-tokens 128 --batch-capacity 32 2>"$out/worker-path.err" | tee "$out/worker-path-${size}.jsonl"
