#!/usr/bin/env bash
# cnnlab against PyTorch, side by side, in one sitting (NOT part of the Maven build; docs/PERFORMANCE.md).
#
#   bench/compare.sh [--fast] [--rounds N] [--warmup-seconds S] [--nets "mnist-cnn cifar10-cnn resnet18-cifar10"] [--no-mnist-run]
#                    [--torch-threads 1,2] [--data-dir DIR] [--out DIR]
#
# Each round runs, per net, `./cnnlab bench nets` (cnnlab's default settings, batch 128, random data, one JVM
# per net) and then bench/pytorch_bench.py (PyTorch tuned = OpenBLAS + GLIBC_TUNABLES malloc, and plain = default
# malloc, each at 1 and 2 threads, one process per measurement); the order of the two alternates between rounds.
# Every measurement (both frameworks) first warms up for 2 iterations and at least S seconds (default 8: Java's JIT
# compilers need that many mnist-cnn steps before cnnlab reaches its steady speed; PyTorch gets the same).
# After the rounds: the book's 5-epoch MNIST run end to end (`./cnnlab train mnist-cnn`, JVM start to report)
# under /usr/bin/time. Then bench/compare_summary.py prints per-round and median images/s, the ratios with
# their spread over the rounds, peak RSS, and the targets of issue 14.
# --fast: one round, one short window per measurement, no 5-epoch run (to try the command out).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
rounds=3 warmup=2 warm_secs=8 windows=3 secs=2 mnist_run=1 fast=0 torch_threads=1,2
nets="mnist-cnn cifar10-cnn resnet18-cifar10"
data_dir="${CNNLAB_DATA:-../shared/data}"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=1; rounds=1; warmup=1; warm_secs=0; windows=1; secs=0.5; mnist_run=0 ;;
    --rounds) rounds="$2"; shift ;;
    --warmup-seconds) warm_secs="$2"; shift ;;
    --nets) nets="$2"; shift ;;
    --no-mnist-run) mnist_run=0 ;;
    --torch-threads) torch_threads="$2"; shift ;;
    --data-dir) data_dir="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "compare.sh: unknown argument '$1' (see the header of bench/compare.sh)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$out" ] || out="$(mktemp -d /tmp/cnnlab-compare.XXXXXX)"
mkdir -p "$out"
py=/usr/bin/python3   # Debian's python3-torch lives in the system python
[ -f target/cnnlab.jar ] || ./cnnlab --version >/dev/null 2>&1 || true
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/sitting.log" >&2; }
log "compare.sh: rounds=$rounds warmup=$warmup warmup-seconds=$warm_secs windows=$windows window-seconds=$secs nets='$nets' out=$out"
log "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores; $(uptime)"
cnnlab_row() {  # round net
  log "round $1 $2: cnnlab ($(uptime | sed 's/.*load/load/'))"
  ./cnnlab bench nets --net "$2" --batch 128 --layers dl4j --epoch-batches -1 --warmup "$warmup" \
    --warmup-seconds "$warm_secs" --windows "$windows" --window-seconds "$secs" --json > "$out/r$1-cnnlab-$2.json" 2>> "$out/cnnlab.err"
}
pytorch_row() {
  log "round $1 $2: pytorch ($(uptime | sed 's/.*load/load/'))"
  $py bench/pytorch_bench.py --json --setups tuned,plain --threads "$torch_threads" --batch 128 --warmup "$warmup" \
    --warmup-seconds "$warm_secs" --windows "$windows" --window-seconds "$secs" "$2" > "$out/r$1-pytorch-$2.jsonl"
}
for r in $(seq 1 "$rounds"); do
  for n in $nets; do
    if [ $((r % 2)) -eq 1 ]; then cnnlab_row "$r" "$n"; pytorch_row "$r" "$n"
    else pytorch_row "$r" "$n"; cnnlab_row "$r" "$n"; fi
  done
done
if [ "$mnist_run" = 1 ]; then
  log "the book's 5-epoch MNIST run ($(uptime | sed 's/.*load/load/'))"
  rm -rf "$out/mnist-run"; mkdir -p "$out/mnist-run"
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$out/mnist-time.txt" ./cnnlab train mnist-cnn --data-dir "$data_dir" \
    --out "$out/mnist-run/training" --models "$out/mnist-run/models" > "$out/mnist-train.log" 2>&1
  end=$(date +%s.%N)
  echo "{\"wall_s\": $(echo "$end - $start" | bc)}" > "$out/mnist-wall.json"
  find "$out/mnist-run/training" -name result.json -exec cp {} "$out/mnist-result.json" \;
fi
log "done ($(uptime | sed 's/.*load/load/'))"
$py bench/compare_summary.py "$out" | tee "$out/summary.txt"
