#!/usr/bin/env bash
# Peak RSS of training at batch 128, cnnlab next to PyTorch, one process per net and set-up (NOT part of the
# Maven build; docs/PERFORMANCE.md, "Memory").
#
#   bench/memory.sh [--out DIR] [--cnnlab-only] [NET ...]   (default: every net with a PyTorch twin in
#                                                             bench/pytorch_bench.py)
#
# cnnlab: `./cnnlab bench nets --batch 128` (warm-up step, one timed window, inference; its process VmHWM), with
# JavaCPP's physical-memory cap lifted so that the largest nets can finish (DenseNet-121 needs more than the
# default cap of twice the heap). PyTorch: bench/pytorch_bench.py, tuned and plain, 1 thread (the thread count
# barely changes memory). Prints one line per net.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
out=""
pytorch=1
nets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    --cnnlab-only) pytorch=0 ;;
    *) nets+=("$1") ;;
  esac
  shift
done
[ ${#nets[@]} -gt 0 ] || nets=(mnist-cnn fashion-cnn cifar10-cnn lenet5-mnist resnet18-cifar10 vgg16-cifar10 googlenet-cifar10 densenet121-cifar10)
[ -n "$out" ] || out="$(mktemp -d /tmp/cnnlab-memory.XXXXXX)"
mkdir -p "$out"
for n in "${nets[@]}"; do
  echo "[$(date -u +%H:%M:%S)] $n ($(uptime | sed 's/.*load/load/'))" >&2
  CNNLAB_JAVA_OPTS="-Xmx4g -Dorg.bytedeco.javacpp.maxphysicalbytes=0" ./cnnlab bench nets --net "$n" --batch 128 \
    --layers dl4j --epoch-batches -1 --warmup 1 --windows 1 --window-seconds 0.1 --json > "$out/cnnlab-$n.json" \
    2> "$out/cnnlab-$n.err" || echo "cnnlab $n failed (see $out/cnnlab-$n.err)" >&2
  [ "$pytorch" = 0 ] && : > "$out/pytorch-$n.jsonl" || /usr/bin/python3 bench/pytorch_bench.py --json --setups tuned,plain --threads 1 --warmup 1 --windows 1 \
    --window-seconds 0.01 "$n" > "$out/pytorch-$n.jsonl" 2> "$out/pytorch-$n.err" || echo "pytorch $n failed" >&2
  /usr/bin/python3 - "$out" "$n" <<'PY'
import json, os, sys
d, n = sys.argv[1], sys.argv[2]
try:
    c = json.load(open(os.path.join(d, f"cnnlab-{n}.json")))[0]
    cn = f"cnnlab {c['process_vmhwm_mb']:,} MB ({c['params']:,} params incl. BN statistics)"
except Exception as e:
    cn = f"cnnlab - ({e.__class__.__name__})"
rows = [json.loads(l) for l in open(os.path.join(d, f"pytorch-{n}.jsonl")) if l.strip()]
pt = ", ".join(f"PyTorch {r['setup']} {r['peak_rss_mb']:,} MB" for r in rows)
ps = f" ({rows[0]['params_with_bn_stats']:,} params incl. BN statistics)" if rows else ""
print(f"{n}: {cn}; {pt}{ps}", flush=True)
PY
done
