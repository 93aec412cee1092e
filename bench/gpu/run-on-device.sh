#!/usr/bin/env bash
# Runs on the GPU host (through the device tool): serves a random-weight Llama-shaped model with
# `transformers serve --continuous-batching` (OpenAI-compatible) and measures direct calls at
# concurrency 1, 8 and 32. Needs the serving wheels carried in .whl/ (fastapi, uvicorn, openai…).
set -euo pipefail
size="${1:-1b}"
out="${OUT:-/tmp/gpu-out}"; mkdir -p "$out"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
python3 bench/gpu/make-random-model.py /tmp/model --size "$size" 2>&1 | tail -2
python3 -c "from transformers.cli.transformers import main; main()" serve /tmp/model --continuous-batching --host 127.0.0.1 --port 8000 --log-level warning > "$out/serve.log" 2>&1 &
for attempt in $(seq 1 120); do curl -sf 127.0.0.1:8000/v1/models > /dev/null && break; sleep 2; done
python3 bench/gpu/load.py http://127.0.0.1:8000 /tmp/model --concurrency 1 8 32 --requests-per-client 4 --max-tokens 128 | tee "$out/direct-${size}.jsonl"
tail -5 "$out/serve.log"
