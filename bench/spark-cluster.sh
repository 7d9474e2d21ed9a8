#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1 (issue 19, docs/SCALING.md): a master and two workers, each its
# own JVM with its own memory limit, started from the Spark jars of the -Pcpu,spark build (target/spark-lib);
# cnnlab training submitted to it with spark-submit's main class and the job jar (target/cnnlab-spark.jar).
#
#   1. mnist-cnn, 1 epoch on TRAIN_LIMIT images, with 1 worker, then with 2 workers: time per epoch, bytes;
#   2. the same with 2 workers and 2 epochs, one worker killed (kill -9, by PID) mid-run: Spark re-runs the
#      lost tasks on the other worker and the run finishes (or stops with one line and its checkpoint).
# Everything it starts is stopped by PID at the end (also on Ctrl-C). Loopback only: nothing listens
# beyond 127.0.0.1.
#
#   bench/spark-cluster.sh                       # TRAIN_LIMIT=4000 by default
#   TRAIN_LIMIT=2000 DATA_DIR=../shared/data bench/spark-cluster.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
train_limit="${TRAIN_LIMIT:-4000}"
data_dir="${DATA_DIR:-$root/../shared/data}"
master_port="${MASTER_PORT:-17077}"
exp="${EXPERIMENT:-mnist-cnn}"

if [ ! -f target/cnnlab-spark.jar ] || [ ! -d target/spark-lib ]; then
  echo "== building the job jar: mvn -B -q -Pcpu,spark -DskipTests package"
  mvn -B -q -Pcpu,spark -DskipTests package
fi

work="$(mktemp -d /tmp/cnnlab-spark.XXXXXX)"
# A Spark home made of the build's jars (Spark from target/spark-lib; Scala, Jackson, netty, slf4j, which the
# build shares with cnnlab, from target/lib): the workers start their executors from $SPARK_HOME/jars.
mkdir -p "$work/spark-home/jars"
ln -s "$root"/target/spark-lib/*.jar "$work/spark-home/jars/"
# target/lib as the jar's manifest lists it (the folder may hold jars of earlier builds)
for j in $(unzip -p target/cnnlab.jar META-INF/MANIFEST.MF | tr -d '\r' | sed -n '/^Class-Path:/,/^[A-Z]/p' \
           | sed -e 's/^Class-Path: //' -e 's/^ //' -e '/^[A-Z][A-Za-z-]*:/d' | tr -d '\n'); do
  [ -e "$work/spark-home/jars/$(basename "$j")" ] || ln -s "$root/target/$j" "$work/spark-home/jars/"
done
touch "$work/spark-home/RELEASE"
cat > "$work/logback.xml" <<'EOF'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss} %-5level %logger{0} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.spark.deploy" level="INFO"/>
  <logger name="org.apache.spark.scheduler" level="INFO"/>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>
EOF
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
export OMP_NUM_THREADS=1
opens="-Djdk.reflect.useDirectMethodHandle=false -Dlogback.configurationFile=$work/logback.xml"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
cp="$work/spark-home/jars/*"
master="spark://127.0.0.1:$master_port"

pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do kill "$child" 2>/dev/null || true; done
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "== stopped: ${pids[*]:-nothing} (logs in $work)"
}
trap stop_all EXIT

wait_for() { # wait_for FILE PATTERN SECONDS
  for _ in $(seq "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done
  echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; return 1
}

echo "== $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg); master on $master"
java -Xmx256m $opens -cp "$cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port 0 > "$work/master.log" 2>&1 &
pids+=($!)
wait_for "$work/master.log" "I have been elected leader" 90
worker_pids=()
for i in 1 2; do
  # worker daemon: 256 MiB heap; what it may give its executor: 1 core, 2 GiB
  java -Xmx256m $opens -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port 0 \
    --cores 1 --memory 2g --work-dir "$work/worker$i" "$master" > "$work/worker$i.log" 2>&1 &
  pids+=($!)
  worker_pids+=($!)
done
for i in 1 2; do wait_for "$work/worker$i.log" "Successfully registered with master" 90; done
echo "== master pid ${pids[0]}, workers ${worker_pids[*]}"

submit() { # submit NAME WORKERS EPOCHS [extra cnnlab args]: spark-submit, client mode, the driver in this JVM
  local name="$1" n="$2" epochs="$3"; shift 3
  java -Xmx3g $opens -Dorg.bytedeco.javacpp.maxbytes=4G -cp "$cp" org.apache.spark.deploy.SparkSubmit \
    --master "$master" --deploy-mode client --name "cnnlab-$name" \
    --total-executor-cores "$n" --executor-cores 1 --executor-memory 1200m \
    --conf spark.executor.extraJavaOptions="-Dorg.bytedeco.javacpp.maxbytes=1500M -Dlogback.configurationFile=$work/logback.xml" \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
    --class cnnlab.cli.Main target/cnnlab-spark.jar \
    train "$exp" --spark "$master" --workers "$n" --epochs "$epochs" --train-limit "$train_limit" \
    --data-dir "$data_dir" --out "$work/runs-$name" --models "$work/models" "$@" > "$work/$name.log" 2>&1
}

summary() { # summary NAME: the run's result.json, spark section and timing
  local f
  f="$(ls -d "$work/runs-$1"/*/*/result.json 2>/dev/null | head -1)"
  if [ -z "$f" ]; then echo "   no result.json for $1"; return 1; fi
  python3 - "$f" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
s = r.get("spark") or {}
per_round = s["task_result_bytes"] / s["averagings"] if s.get("averagings") else float("nan")
print(f"   {sys.argv[1]}")
print(f"   test accuracy {100*r['test_accuracy_last']:.2f}%, {r['epochs']} epoch(s), {r['iterations']} steps of batch "
      f"{r['batch']}, train {r['train_seconds']} s ({r['train_seconds']/max(r['epochs'],1):.1f} s/epoch), "
      f"{r['parameters']} parameters")
print(f"   spark: {s.get('workers')} workers x batch {s.get('batch_per_worker')}, {s.get('averagings')} averagings, "
      f"{s.get('tasks')} tasks ({s.get('failed_tasks')} failed), task results {s.get('task_result_bytes')} bytes "
      f"= {per_round:.0f} bytes per averaging")
EOF
}

for n in 1 2; do
  echo "== $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg); $exp, 1 epoch, $n worker(s)"
  submit "w$n" "$n" 1
  summary "w$n"
done

echo "== $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg); $exp, 2 epochs, 2 workers; worker 2 is killed mid-run"
submit kill 2 2 --checkpoint-minutes 0.25 &
driver=$!
wait_for "$work/kill.log" "epoch 1/2 loss" 600
sleep 5
victim="${worker_pids[1]}"
executors="$(pgrep -P "$victim" || true)"
echo "== $(date -u +%H:%M:%S) kill -9 worker $victim and its executor ${executors:-(none)}"
kill -9 "$victim" $executors 2>/dev/null || true
set +e
wait "$driver"
rc=$?
set -e
echo "== driver exit code $rc; what the driver saw:"
grep -E "Lost executor|lost|Removing executor|re-?submit|failed|cnnlab:|test accuracy|checkpoint" "$work/kill.log" \
  | grep -v "^\s*$" | cut -c1-220 | head -15
summary kill || { echo "   checkpoint kept:"; ls -la "$work"/runs-kill/*/*/ 2>/dev/null; }
grep -h "removing worker\|Removing worker\|Telling app of lost worker" "$work/master.log" | cut -c1-200 | head -3
