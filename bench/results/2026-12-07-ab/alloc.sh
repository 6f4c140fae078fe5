#!/bin/bash
# alloc.sh A.jar B.jar rounds: allocation per non-streaming chat (JFR thread allocation statistics over a steady 20 s), interleaved
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD load_cpu=1 proxy_cpu=0 bench_jar=bench/target/bench.jar
up_port=18090 nginx_port=18091 gw_port=18080 gw_mgmt=19090 sessions_big=100
gateway_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
gateway_jvm_options=$(realpath ops/gateway.jvm)
jcmd=$(dirname $gateway_java)/jcmd; jfr=$(dirname $gateway_java)/jfr
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null||true' EXIT
. bench/lib.sh
start_upstream
for r in $(seq 1 ${3:-2}); do for side in A B; do
  [ $side = A ] && gateway_jar=$1 || gateway_jar=$2
  start_gateway
  seed_sessions 100 $work/s.txt
  wrk_run warmup gateway $gw_port 32 30 0 $work/s.txt >/dev/null
  "$jcmd" $gw_pid JFR.start name=a filename=$work/a.jfr >/dev/null
  t0=$(awk '{print $14+$15}' /proc/$gw_pid/stat)
  res=$(wrk_run steady gateway $gw_port 32 20 31 $work/s.txt)
  t1=$(awk '{print $14+$15}' /proc/$gw_pid/stat)
  "$jcmd" $gw_pid JFR.stop name=a >/dev/null
  "$jfr" print --json --events jdk.ThreadAllocationStatistics $work/a.jfr > $work/a.json
  alloc=$(python3 -c '
import json,collections,sys
d=json.load(open(sys.argv[1]))["recording"]["events"]; by=collections.defaultdict(list)
for e in d: by[(e["values"]["thread"] or {}).get("javaThreadId")].append(e["values"]["allocated"])
print(sum(max(l)-min(l) for l in by.values()))' $work/a.json)
  echo "$res" | jq -c --arg side $side --argjson alloc $alloc --argjson cpu $((t1-t0)) '{side: $side, rps: .rps, p50: .latency_ms.p50, p99: .latency_ms.p99, kb_per_request: ($alloc / (.rps*20) / 1000 | .*10|round/10), cpu_ms_per_request: ($cpu*10 / (.rps*20) | .*1000|round/1000)}'
  stop $gw_pid
done; done
