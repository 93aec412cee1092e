#!/bin/sh
# Starts a standalone orchestration worker (workers/orchestration.ts) with the memory settings that
# bench/pipeline/worker-rss.ts measures (README "Performance"). `exec`, so the worker keeps this pid
# and gets SIGTERM itself (workers/runtime.ts drains on it). Arguments go to the worker.
#
# MALLOC_MMAP_THRESHOLD_: glibc serves blocks over 128 KiB from mmap and unmaps them when freed. By
#   default the threshold climbs (to 32 MiB) after the first large free, and the model load's scratch
#   buffers then stay behind in the heap: ~80 MiB resident for the process's life.
# --max-semi-space-size=1: a 1 MiB young generation per isolate (main, workflow and model threads)
#   instead of up to 16 MiB; scavenges are more frequent but short.
# --max-old-space-size=1536: below 2 GiB, V8 grows each heap by at most ~1.8x its live size after a
#   collection instead of 4x; it is also the heap's hard limit, far above what the worker uses.
#   The SDK sizes its workflow cache from it (782 workflows).
# --optimize-for-size: V8 grows heaps by smaller steps and collects sooner. After 50 answers RSS
#   381-390 against 415-494 MiB without it (bench/pipeline/worker-rss.ts); gate latency and answer
#   p50, measured in one process with and without the flag, moved within noise.
# Compiled or sources: the worker compiled by `npm run build:worker` (dist/) when that build is newer than every
#   source file it could have come from; otherwise the sources through tsx's CommonJS loader (no ESM hooks thread),
#   with a line on stderr saying why. Compiled, the worker holds no transformed sources and no source maps:
#   ~21 MiB less after answers (README "Performance"). SLUICE_WORKER_FROM_SOURCE=1 always runs the sources.
# --require workflow-thread-guard.cjs: one stall monitor per process instead of the SDK's per-call vm timeout
#   (SLUICE_WORKFLOW_STALL_GUARD, default `process`; `call` keeps the SDK's): answers p50 68 -> 48 ms.
root="$(cd "$(dirname "$0")/.." && pwd)"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
compiled="$root/dist/workers/orchestration.js"
run() {
  exec node --optimize-for-size --max-semi-space-size=1 --max-old-space-size=1536 \
    --require "$root/workers/workflow-thread-guard.cjs" "$@"
}
if [ "${SLUICE_WORKER_FROM_SOURCE:-0}" = "1" ]; then
  why="SLUICE_WORKER_FROM_SOURCE=1"
elif [ ! -f "$compiled" ]; then
  why="no compiled worker (npm run build:worker)"
elif [ -n "$(find "$root/activities" "$root/client" "$root/contracts" "$root/temporal-config" "$root/workers" \
  -newer "$compiled" \( -name '*.ts' -o -name '*.json' -o -name '*.cjs' \) -print 2>/dev/null | head -n 1)" ]; then
  why="sources changed since the last npm run build:worker"
else
  run "$compiled" "$@"
fi
echo "sluice: running the orchestration worker from its sources: $why" >&2
run --require "$root/node_modules/tsx/dist/cjs/index.cjs" "$root/workers/orchestration.ts" "$@"
