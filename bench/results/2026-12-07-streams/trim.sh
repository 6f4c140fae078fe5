#!/bin/bash
# trim.sh: how much freed native memory glibc keeps in a warm gateway (without -XX:TrimNativeHeapInterval):
# warm-up as bench/ab does, 2,000 streams opened and finished, then one System.trim_native_heap, which reports
# resident memory before and after.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD load_cpu=1 proxy_cpu=0 bench_jar=bench/target/bench.jar
up_port=18090 nginx_port=18091 gw_port=18080 gw_mgmt=19090 sessions_big=100
gateway_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
gateway_jvm_options=${JVM:-$(realpath ops/gateway.jvm)}
jcmd=$(dirname $gateway_java)/jcmd
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null||true' EXIT
. bench/lib.sh
start_upstream
start_gateway
seed_sessions 100 $work/s.txt
wrk_run warmup gateway $gw_port 32 30 0 $work/s.txt >/dev/null
stream_load w gateway "http://127.0.0.1:$gw_port/api/rca/chat/stream" '{"message":"q{{i}} tokens=20 gap=100"}' \
  --streams 2000 --ramp-per-sec 1000 >/dev/null
sleep 5
for i in 1 2; do
  echo "RSS $(rss_mib $gw_pid) MiB; $("$jcmd" $gw_pid System.trim_native_heap | tail -1)"
  sleep 5
done
