#!/bin/bash
# idle-then-steady <jvm file>: the full run's gateway history up to the steady phase, with GC counts and resident memory per phase
set -euo pipefail
jvm=$(realpath "$1")
cd "$(dirname "$0")/../../.."
root=$PWD load_cpu=0 proxy_cpu=1 bench_jar=bench/target/bench.jar
up_port=18090 nginx_port=18091 gw_port=18080 gw_mgmt=19090 sessions_big=100
gateway_java=${GATEWAY_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
gateway_jvm_options=$jvm
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null||true' EXIT
. bench/lib.sh
need wrk wrk
gc() { echo "$($(dirname "$gateway_java")/jstat -gc $gw_pid | awk 'NR==1{for(i=1;i<=NF;i++)c[$i]=i} NR==2{print "YGC",$c["YGC"],"YGCT",$c["YGCT"],"CGC",$c["CGC"],"OU",$c["OU"],"EC",$c["EC"]}') RSS_MiB $(awk '/VmRSS/{printf "%.0f",$2/1024}' /proc/$gw_pid/status)"; }
start_upstream; start_gateway
seed_sessions 100 $work/s.txt
wrk_run warmup gateway $gw_port 32 60 0 $work/s.txt >/dev/null; echo "after warmup: $(gc)"
for c in 1 8 32 128; do wrk_run b$c gateway $gw_port $c 10 0 $work/s.txt | jq -c '{label: .label, rps: .rps}'; echo "  $(gc)"; done
sleep 40; echo "after idle: $(gc)"
wrk_run steady gateway $gw_port 32 20 31 $work/s.txt | jq -c '{label: .label, rps: .rps, p50: .latency_ms.p50, p99: .latency_ms.p99}'; echo "after steady: $(gc)"
wrk_run steady2 gateway $gw_port 32 20 31 $work/s.txt | jq -c '{label: .label, rps: .rps, p50: .latency_ms.p50, p99: .latency_ms.p99}'; echo "after steady2: $(gc)"
