#!/bin/bash
# sessions-phase <jvm file> <out dir>: the full run's sessions phase on a fresh gateway, GC counts per phase, JFR of the 100k steady
set -euo pipefail
jvm=$(realpath "$1") out=$(realpath -m "$2")
cd "$(dirname "$0")/../../.."
root=$PWD load_cpu=0 proxy_cpu=1 bench_jar=bench/target/bench.jar
up_port=18090 nginx_port=18091 gw_port=18080 gw_mgmt=19090 sessions_big=100000
gateway_java=${GATEWAY_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
gateway_jvm_options=$jvm; mkdir -p "$out"
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null||true' EXIT
. bench/lib.sh
need wrk wrk
jcmd=$(dirname "$gateway_java")/jcmd
gc() { echo "$($(dirname "$gateway_java")/jstat -gc $gw_pid | awk 'NR==1{for(i=1;i<=NF;i++)c[$i]=i} NR==2{print "YGC",$c["YGC"],"YGCT",$c["YGCT"],"CGC",$c["CGC"],"OU",$c["OU"],"OC",$c["OC"],"EC",$c["EC"]}') RSS_MiB $(awk '/VmRSS/{printf "%.0f",$2/1024}' /proc/$gw_pid/status)"; }
st() { jq -c '{label: .label, rps: .rps, p50: .latency_ms.p50, p99: .latency_ms.p99}'; }
start_upstream; start_gateway
seed_sessions 100 $work/s.txt
wrk_run warmup gateway $gw_port 32 60 0 $work/s.txt >/dev/null; echo "after warmup: $(gc)"
wrk_run s100 gateway $gw_port 32 10 0 $work/s.txt | st; echo "  $(gc)"
wrk_run s100-steady gateway $gw_port 32 20 31 $work/s.txt | st; echo "  $(gc)"
seed_sessions 100000 $work/big.txt; echo "after seeding: $(gc)"
wrk_run s100k gateway $gw_port 32 10 0 $work/big.txt | st; echo "  $(gc)"
"$jcmd" "$gw_pid" JFR.start name=steady settings=profile filename="$out/s100k-steady.jfr" >/dev/null
wrk_run s100k-steady gateway $gw_port 32 20 31 $work/big.txt | st; echo "  $(gc)"
"$jcmd" "$gw_pid" JFR.stop name=steady >/dev/null
wrk_run s100k-steady2 gateway $gw_port 32 20 31 $work/big.txt | st; echo "  $(gc)"
"$jcmd" "$gw_pid" GC.class_histogram | head -25 > $out/histo.txt
