#!/usr/bin/env bash
# Where a cnnlab training step's time goes, sampled (NOT part of the Maven build; docs/PERFORMANCE.md).
#
#   bench/async_profile.sh [--seconds S] [--out DIR] NET...      (e.g. mnist-cnn cifar10-cnn resnet18-cifar10)
#
# ASPROF_JAVA_OPTS adds JVM options, e.g. -Dorg.bytedeco.javacpp.maxPhysicalBytes=8G to see what JavaCPP's
# physical-memory check (which cnnlab switches off) costs.
#
# Runs cnnlab.training.TrainLoop (test scope: the net as `cnnlab train` builds it, random batch of 128, 8 s of
# warm-up, then S seconds of training steps only) under async-profiler 3.0 (tools.profiler:async-profiler from
# Maven Central, fetched into ~/.m2 on first use), sampling Java and native stacks on the process's CPU-time
# timer (itimer, 1 ms: no perf events needed). bench/profile_categories.py then puts each sample in one category
# (the first of its rules that any frame matches; oneDNN's JIT-generated kernels have no symbols: "[unknown]").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
secs=20 out=""
nets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) secs="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) nets+=("$1") ;;
  esac
  shift
done
[ ${#nets[@]} -gt 0 ] || { echo "async_profile.sh: name at least one net" >&2; exit 2; }
[ -n "$out" ] || out="$(mktemp -d /tmp/cnnlab-asprof.XXXXXX)"
mkdir -p "$out"
ap_jar="$HOME/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar"
[ -f "$ap_jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:3.0
mkdir -p target/async-profiler
unzip -o -q "$ap_jar" 'linux-x64/*' -d target/async-profiler
mvn -B -q test-compile
[ -f target/cp.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
cp="target/classes:target/test-classes:$ap_jar:$(cat target/cp.txt)"
for n in "${nets[@]}"; do
  echo "[$(date -u +%H:%M:%S)] $n ($(uptime | sed 's/.*load/load/'))" >&2
  OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" java -Xmx4g ${ASPROF_JAVA_OPTS:-} -Dtrainloop.profiler="$here/target/async-profiler/linux-x64/libasyncProfiler.so" \
    -Dtrainloop.out="$out/$n.collapsed" -cp "$cp" cnnlab.training.TrainLoop "$n" "$secs" 8 2> "$out/$n.err" | tee "$out/$n.log"
  /usr/bin/python3 bench/profile_categories.py "$out/$n.collapsed" | tee "$out/$n.md"
done
echo "outputs in $out" >&2
