#!/bin/bash
# trim-cost.sh <jvm file>: what the native-heap trim costs under back-to-back load: the gateway's CPU and minor page
# faults per request over 15 s at 32 connections after a 30 s warm-up, and the trims it logged (-Xlog:trimnative).
set -euo pipefail
jvm=$(realpath "$1")
cd "$(dirname "$0")/../../.."
root=$PWD load_cpu=1 proxy_cpu=0 bench_jar=bench/target/bench.jar
up_port=18090 nginx_port=18091 gw_port=18080 gw_mgmt=19090 sessions_big=100
gateway_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java gateway_jvm_options=$jvm
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null||true' EXIT
. bench/lib.sh
start_upstream
start_gateway -Xlog:trimnative=debug:file=$work/trim.log
seed_sessions 100 $work/s.txt
wrk_run warmup gateway $gw_port 32 30 0 $work/s.txt >/dev/null
stat() { awk '{print $10, $14 + $15}' /proc/$gw_pid/stat; }
read f0 t0 < <(stat); n0=$(grep -c 'Periodic Trim' $work/trim.log || true)
res=$(wrk_run back gateway $gw_port 32 15 0 $work/s.txt)
read f1 t1 < <(stat); n1=$(grep -c 'Periodic Trim' $work/trim.log || true)
echo "$res" | jq -c --argjson f $((f1 - f0)) --argjson t $((t1 - t0)) --argjson trims $((n1 - n0)) --arg jvm "$(basename $jvm)" \
  '{jvm: $jvm, rps: .rps, cpu_ms_per_request: ($t * 10 / .requests * 1000 | round / 1000), minor_faults_per_request: ($f / .requests * 100 | round / 100), trims: $trims}'
grep 'Periodic Trim' $work/trim.log | tail -3 || true
