#!/usr/bin/env bash
# One training step of a net, by operation, DL4J (cnnlab's defaults) next to PyTorch (NOT part of the Maven build).
#
#   bench/profile.sh [--steps N] [--warmup N] [--threads T] [--out DIR] NET...     (e.g. resnet18-cifar10 cifar10-cnn)
#
# DL4J: cnnlab.training.StepProfile (test scope; every ND4J op timed, phases marked by a training listener).
# PyTorch: bench/pytorch_bench.py --profile (torch.autograd.profiler), tuned set-up, T threads (default: the
# thread count cnnlab itself picks for the net, printed by StepProfile). Both run with ONEDNN_VERBOSE=1, and
# bench/onednn_verbose.py splits oneDNN's time by primitive (convolution forward / backward_data /
# backward_weights, batch norm, pooling, reorders). bench/profile_table.py prints the side-by-side tables.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
steps=3 warmup=2 threads="" out=""
nets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) nets+=("$1") ;;
  esac
  shift
done
[ ${#nets[@]} -gt 0 ] || { echo "profile.sh: name at least one net" >&2; exit 2; }
[ -n "$out" ] || out="$(mktemp -d /tmp/cnnlab-profile.XXXXXX)"
mkdir -p "$out"
[ -f target/cnnlab.jar ] || mvn -B -q -DskipTests package
mvn -B -q test-compile
[ -f target/cp.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
cp="target/classes:target/test-classes:$(cat target/cp.txt)"
for n in "${nets[@]}"; do
  echo "[$(date -u +%H:%M:%S)] $n: DL4J ($(uptime | sed 's/.*load/load/'))" >&2
  OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 java -Xmx4g -cp "$cp" \
    cnnlab.training.StepProfile --warmup "$warmup" --steps "$steps" "$n" > "$out/dl4j-$n.log" 2> "$out/dl4j-$n.err"
  t="$threads"
  [ -n "$t" ] || t=$(grep -o '"threads":[0-9]*' "$out/dl4j-$n.log" | head -1 | cut -d: -f2)
  echo "[$(date -u +%H:%M:%S)] $n: PyTorch, $t thread(s) ($(uptime | sed 's/.*load/load/'))" >&2
  /usr/bin/python3 bench/pytorch_bench.py --profile "$n" --onednn-verbose --threads "${t:-1}" --setups tuned \
    --warmup "$warmup" --steps "$steps" > "$out/pytorch-$n.jsonl" 2> "$out/pytorch-$n.err"
  /usr/bin/python3 bench/onednn_verbose.py "$out/dl4j-$n.log" $((warmup + steps)) "$steps" --framework dl4j --net "$n" \
    > "$out/dl4j-$n-onednn.json"
  grep '^PROFILE ' "$out/dl4j-$n.log" | cut -c9- > "$out/dl4j-$n.json"
  /usr/bin/python3 bench/profile_table.py "$out/dl4j-$n.json" "$out/dl4j-$n-onednn.json" "$out/pytorch-$n.jsonl" \
    | tee "$out/table-$n.md"
done
echo "outputs in $out" >&2
