#!/bin/bash
# histo.sh: live heap per open stream. Class histograms (and heap dumps) of a warm gateway idle and with N streams
# open (N=2000 by default), into OUT (default: a temporary directory); diff.py and strings.py read them.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD load_cpu=1 proxy_cpu=0 bench_jar=bench/target/bench.jar
up_port=18090 nginx_port=18091 gw_port=18080 gw_mgmt=19090 sessions_big=100
gateway_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
gateway_jvm_options=$(realpath ops/gateway.jvm)
jcmd=$(dirname $gateway_java)/jcmd
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null||true' EXIT
. bench/lib.sh
N=${N:-2000}; out=${OUT:-$(mktemp -d)}; echo "writing $out" >&2
start_upstream
start_gateway
seed_sessions 100 $work/s.txt
wrk_run warmup gateway $gw_port 32 20 0 $work/s.txt >/dev/null
stream_load w gateway "http://127.0.0.1:$gw_port/api/rca/chat/stream" '{"message":"q{{i}} tokens=5 gap=1"}' --streams 2000 --ramp-per-sec 1000 >/dev/null
sleep 2
"$jcmd" $gw_pid GC.class_histogram > $out/idle.txt; "$jcmd" $gw_pid GC.heap_dump $out/idle.hprof >/dev/null
stream_load ab gateway "http://127.0.0.1:$gw_port/api/rca/chat/stream" \
  '{"message":"q{{i}} tokens=20 gap=1000"}' --streams $N --ramp-per-sec 1000 --pid $gw_pid > $out/streams.json &
load=$!
sleep $((N / 1000 + 6))
"$jcmd" $gw_pid GC.class_histogram > $out/open.txt; "$jcmd" $gw_pid GC.heap_dump $out/open.hprof >/dev/null
wait $load
cat $out/streams.json
